import { Injectable } from '@nestjs/common';
import { HostNameTakenError } from '@memfleet/db';
import { parseInventory } from '@memfleet/inventory';
import { RequestValidationError } from '../common/request-validation.error';
import { HostsService } from '../hosts/hosts.service';
import type { ImportHostsInput, ImportReport } from './hosts-import.schemas';
import { toCreateHostInput } from './inventory-host.mapper';

/**
 * Registers every host of an Ansible inventory through the ordinary create path (so secrets are
 * sealed and the scheduler told). An unreadable inventory is refused whole, with its lines; past
 * that, each host stands alone: a bad or taken one is reported and the rest go on.
 */
@Injectable()
export class HostsImportService {
  constructor(private readonly hosts: HostsService) {}

  async import(body: ImportHostsInput): Promise<ImportReport> {
    const parsed = parseInventory(body.inventory, body.format);
    if (parsed.kind === 'error') {
      throw new RequestValidationError(
        parsed.errors.map((e) => ({ field: 'inventory', message: `line ${e.line}: ${e.message}` })),
      );
    }
    const report: Omit<ImportReport, 'summary'> = {
      format: parsed.format,
      created: [],
      skipped: [],
      invalid: [...parsed.invalid],
    };
    for (const host of parsed.hosts) {
      const mapped = toCreateHostInput(host, body.defaults);
      if (mapped.kind === 'invalid') {
        report.invalid.push({ name: host.name, line: host.line, reason: mapped.reason });
        continue;
      }
      try {
        report.created.push(await this.hosts.create(mapped.input));
      } catch (err) {
        // Only a taken name is this host's problem; anything else (database down) is the request's.
        if (!(err instanceof HostNameTakenError)) throw err;
        report.skipped.push({ name: host.name, reason: 'a host with this name already exists' });
      }
    }
    report.invalid.sort((a, b) => a.line - b.line);
    return {
      ...report,
      summary: {
        created: report.created.length,
        skipped: report.skipped.length,
        invalid: report.invalid.length,
      },
    };
  }
}
