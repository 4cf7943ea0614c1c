import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { zodPipe } from '../common/zod-validation.pipe';
import { ApiJsonBody, ApiJsonResponse, ApiProblems } from '../platform/openapi';
import {
  importHostsSchema,
  importReportSchema,
  type ImportHostsInput,
} from './hosts-import.schemas';
import { HostsImportService } from './hosts-import.service';

@ApiTags('hosts')
@Controller('hosts')
export class HostsImportController {
  constructor(private readonly importer: HostsImportService) {}

  /** 200, not 201: the report may well hold no created host at all. */
  @Post('import')
  @HttpCode(200)
  @ApiJsonBody('ImportHosts', importHostsSchema)
  @ApiJsonResponse(200, 'HostImportReport', importReportSchema, 'What became of each host')
  @ApiProblems(400, 413, 503)
  import(@Body(zodPipe(importHostsSchema)) body: ImportHostsInput) {
    return this.importer.import(body);
  }
}
