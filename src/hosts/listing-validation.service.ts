import { Injectable } from '@nestjs/common';
import { HOST_IDS, type HostId } from '../../adapters/core/index.js';
import { listingFor, versionSpecFor } from '../catalog/listing-projection.js';
import { MiniProgramService } from '../catalog/mini-program.service.js';
import { VersionService } from '../catalog/version.service.js';
import { GatewayError } from '../common/gateway-error.js';
import { HostRuntime } from './host-runtime.service.js';
import type { HostValidationModel } from './hosts.models.js';

/** Checks one definition and version against each host's listing rules (pure; no host is called). */
@Injectable()
export class ListingValidationService {
  constructor(
    private readonly programs: MiniProgramService,
    private readonly versions: VersionService,
    private readonly runtime: HostRuntime,
  ) {}

  async validate(organizationId: string, programId: string, versionId: string, hosts?: readonly HostId[] | null): Promise<HostValidationModel[]> {
    const program = await this.programs.get(organizationId, programId);
    const version = await this.versions.get(organizationId, versionId);
    // A version of another mini-program reads as missing, like another organization's.
    if (version.miniProgramId !== program.id) throw GatewayError.notFound('Version', versionId);
    const wanted = hosts && hosts.length > 0 ? HOST_IDS.filter((h) => hosts.includes(h)) : HOST_IDS;
    return wanted.map((host) => {
      const violations = this.runtime.adapter(host).validate(listingFor(program, host), versionSpecFor(version, host));
      return { host, valid: violations.length === 0, violations };
    });
  }
}
