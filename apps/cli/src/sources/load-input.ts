import type { InputSource } from '../args';
import { readBundleFile } from './bundle-file.source';
import { captureLive } from './live.source';
import { readRootTree } from './root.source';
import type { SnapshotInput } from './snapshot-input';

/** Every input ends as the same SnapshotBundle, so one path parses and diagnoses all three. */
export function loadInput(
  source: InputSource,
  stdin: NodeJS.ReadableStream,
): Promise<SnapshotInput> {
  switch (source.kind) {
    case 'live':
      return captureLive();
    case 'root':
      return readRootTree(source.dir);
    case 'bundle':
      return readBundleFile(source.path, stdin);
  }
}
