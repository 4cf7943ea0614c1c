import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { zodPipe } from '../common/zod-validation.pipe';
import { ApiJsonResponse, ApiProblems, ApiZodQuery } from '../platform/openapi';
import {
  fleetFindingsQuerySchema,
  fleetFindingsSchema,
  fleetFragmentationQuerySchema,
  fleetFragmentationSchema,
  fleetSummarySchema,
  fleetTunablesQuerySchema,
  fleetTunablesSchema,
  type FleetFindingsQueryInput,
  type FleetFragmentationQueryInput,
  type FleetTunablesQueryInput,
} from './fleet.schemas';
import { FleetService } from './fleet.service';

@ApiTags('fleet')
@Controller('fleet')
export class FleetController {
  constructor(private readonly fleet: FleetService) {}

  @Get('fragmentation')
  @ApiZodQuery(fleetFragmentationQuerySchema)
  @ApiJsonResponse(
    200,
    'FleetFragmentation',
    fleetFragmentationSchema,
    'Hosts ranked by the latest unusable free index of their worst zone at the order',
  )
  @ApiProblems(400)
  fragmentation(@Query(zodPipe(fleetFragmentationQuerySchema)) q: FleetFragmentationQueryInput) {
    return this.fleet.fragmentation(q);
  }

  @Get('findings')
  @ApiZodQuery(fleetFindingsQuerySchema)
  @ApiJsonResponse(
    200,
    'FleetFindings',
    fleetFindingsSchema,
    'Hosts with open findings, most severe first',
  )
  @ApiProblems(400)
  findings(@Query(zodPipe(fleetFindingsQuerySchema)) q: FleetFindingsQueryInput) {
    return this.fleet.findings(q);
  }

  @Get('summary')
  @ApiJsonResponse(200, 'FleetSummary', fleetSummarySchema, 'Hosts by state, open findings by kind')
  @ApiProblems()
  summary() {
    return this.fleet.summary();
  }

  @Get('tunables')
  @ApiZodQuery(fleetTunablesQuerySchema)
  @ApiJsonResponse(
    200,
    'FleetTunables',
    fleetTunablesSchema,
    'Distribution of each vm.* value and the hosts off the fleet majority',
  )
  @ApiProblems(400)
  tunables(@Query(zodPipe(fleetTunablesQuerySchema)) q: FleetTunablesQueryInput) {
    return this.fleet.tunables(q);
  }
}
