import type { Tunables } from '@memfleet/procfs';
import type { Finding } from './finding';
import { tunableFinding, type TunableThresholds } from './tunables-common';

/** kswapd and compaction knobs: watermark_scale_factor, extfrag_threshold, compaction_proactiveness. */
export function auditCompactionTunables(t: Tunables, thresholds: TunableThresholds): Finding[] {
  const out: Finding[] = [];
  if (
    t.watermark_scale_factor !== undefined &&
    t.watermark_scale_factor >= thresholds.watermarkScaleHigh
  ) {
    const v = t.watermark_scale_factor;
    out.push(
      tunableFinding(
        'watermark_scale_factor',
        'info',
        v,
        `watermark_scale_factor is ${v}: watermarks are ${(v / 100).toFixed(1)} % of memory apart, so kswapd keeps a lot of memory free.`,
        'The unit is 1/10,000 of memory (default 10 = 0.1 %). Raise it only when allocstall or kswapd_low_wmark_hit_quickly show kswapd falling behind',
      ),
    );
  }

  if (t.extfrag_threshold !== undefined) {
    const v = t.extfrag_threshold;
    if (v >= thresholds.extfragThresholdHigh) {
      out.push(
        tunableFinding(
          'extfrag_threshold',
          'warning',
          v,
          `extfrag_threshold is ${v}: the kernel almost never compacts for high-order allocations (it compacts only when the fragmentation index is above ${v}), and reclaims instead.`,
          'Reclaim throws away cache that compaction would have kept; the default is 500',
        ),
      );
    } else if (v < thresholds.extfragThresholdLow) {
      out.push(
        tunableFinding(
          'extfrag_threshold',
          'info',
          v,
          `extfrag_threshold is ${v}: the kernel compacts even when a high-order allocation fails for lack of memory rather than fragmentation.`,
          'Compaction cannot create memory that is not free; the default is 500',
        ),
      );
    }
  }

  if (t.compaction_proactiveness !== undefined) {
    const v = t.compaction_proactiveness;
    if (v === 0) {
      out.push(
        tunableFinding(
          'compaction_proactiveness',
          'info',
          v,
          'compaction_proactiveness is 0: proactive (background) compaction is disabled.',
          'High-order allocations then rely on direct compaction in the allocating task, which stalls it; the default is 20',
        ),
      );
    } else if (v >= thresholds.proactivenessHigh) {
      out.push(
        tunableFinding(
          'compaction_proactiveness',
          'info',
          v,
          `compaction_proactiveness is ${v}: kcompactd compacts in the background until the fragmentation score is below ${Math.max(100 - v, 5)}.`,
          'Compaction moves pages of running processes and "could also lead to latency spikes in unsuspecting applications"',
        ),
      );
    }
  }
  return out;
}
