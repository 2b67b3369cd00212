import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { GatewayError } from '../common/gateway-error.js';
import { OrganizationEntity } from './organization.entity.js';
import { organizationOf, type Principal } from './principal.js';

@Injectable()
export class OrganizationService {
  constructor(@InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>) {}

  create(name: string): Promise<OrganizationEntity> {
    return this.organizations.save(this.organizations.create({ name }));
  }

  /** The caller's own organization, or any organization for the operator. */
  async get(principal: Principal, id: string): Promise<OrganizationEntity> {
    const own = organizationOf(principal);
    const org = own === null || own === id ? await this.organizations.findOneBy({ id }) : null;
    if (!org) throw GatewayError.notFound('Organization', id);
    return org;
  }
}
