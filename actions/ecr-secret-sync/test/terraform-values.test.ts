import { describe, expect, it } from 'vitest';
import { ActionError } from '@berth/kit';
import { terraformValues } from '../src/terraform-values';

const outputs = {
  ecr_repository_urls: { 'api-gateway': 'x.dkr.ecr/berth/api', 'product-service': 'x.dkr.ecr/berth/product' },
  cluster_name: 'berth-dev',
  database_port: 5432,
  empty: '',
};

describe('terraformValues', () => {
  it('reads each output or map key once', () => {
    const values = terraformValues(outputs, ['ecr_repository_urls.api-gateway', 'cluster_name', 'cluster_name']);
    expect(Object.fromEntries(values)).toEqual({
      'ecr_repository_urls.api-gateway': 'x.dkr.ecr/berth/api',
      cluster_name: 'berth-dev',
    });
  });

  it('reports every path that gives no string at once, with what exists instead', () => {
    let problems: readonly string[] = [];
    try {
      terraformValues(outputs, [
        'ecr_repository_urls.inventory-service',
        'ecr_repository_urls',
        'database_port',
        'empty',
        'vpc_id',
      ]);
    } catch (error) {
      expect(error).toBeInstanceOf(ActionError);
      problems = (error as ActionError).problems;
    }
    expect(problems).toEqual([
      'output "ecr_repository_urls.inventory-service" does not exist; keys of "ecr_repository_urls": api-gateway, product-service',
      'output "ecr_repository_urls" is a map, not a string; name one key, e.g. ecr_repository_urls.api-gateway (keys: api-gateway, product-service)',
      'output "database_port" is a number, not a non-empty string',
      'output "empty" is an empty string, not a non-empty string',
      'output "vpc_id" does not exist; outputs: ecr_repository_urls, cluster_name, database_port, empty',
    ]);
  });
});
