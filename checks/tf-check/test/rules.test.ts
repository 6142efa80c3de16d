import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTerraform, type CheckOptions } from '../check.ts';
import type { Finding } from '../findings.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

/** Findings of a fixture as `file:line block [rule]`, so each test states exactly what must fire and where. */
function run(fixture: string, options: Partial<CheckOptions> = {}): string[] {
  return checkTerraform({ terraformDir: join(fixtures, fixture, 'terraform'), requiredOutputs: {}, ...options }).map(
    brief,
  );
}

function brief(finding: Finding): string {
  return `${finding.file}:${finding.line} ${finding.block} [${finding.rule}]`;
}

describe('tf-check on a valid tree', () => {
  it('reports nothing for a module called with for_each, data sources, locals and tfvars', () => {
    expect(run('valid')).toEqual([]);
  });
});

describe('security rules', () => {
  const findings = run('security');
  const main = 'terraform/platform/main.tf';

  it('flags each insecure resource once per broken rule and leaves the secure twins alone', () => {
    expect(findings).toEqual([
      `${main}:3 resource "aws_s3_bucket" "insecure" [s3-encryption]`,
      `${main}:3 resource "aws_s3_bucket" "insecure" [s3-public-access]`,
      `${main}:3 resource "aws_s3_bucket" "insecure" [s3-tls-only]`,
      `${main}:3 resource "aws_s3_bucket" "insecure" [s3-versioning]`,
      `${main}:70 resource "aws_ecr_repository" "mutable" [ecr-encryption]`,
      `${main}:70 resource "aws_ecr_repository" "mutable" [ecr-scan-on-push]`,
      `${main}:72 resource "aws_ecr_repository" "mutable" [ecr-immutable-tags]`,
      `${main}:92 resource "aws_security_group" "ssh_open" [open-ingress]`,
      `${main}:111 resource "aws_vpc_security_group_ingress_rule" "alb_alt_port" [open-ingress]`,
      `${main}:119 resource "aws_vpc_security_group_ingress_rule" "service_https_ipv6" [open-ingress]`,
      `${main}:127 resource "aws_db_instance" "public" [database-encryption]`,
      `${main}:127 resource "aws_db_instance" "public" [database-managed-password]`,
      `${main}:133 resource "aws_db_instance" "public" [database-not-public]`,
      `${main}:150 resource "aws_elasticache_replication_group" "plaintext" [cache-encryption]`,
      `${main}:155 resource "aws_lambda_function_url" "open" [function-url-auth]`,
      `${main}:163 resource "aws_ecs_service" "unguarded" [circuit-breaker]`,
      `${main}:163 resource "aws_ecs_service" "unguarded" [task-definition-owned-by-deploy]`,
      `${main}:182 resource "aws_elasticache_cluster" "standalone" [cache-encryption]`,
      `${main}:206 resource "aws_ecs_service" "dynamic_unguarded" [circuit-breaker]`,
    ]);
  });

  it('explains the open-ingress exception and names the offending ports', () => {
    const detail = checkTerraform({ terraformDir: join(fixtures, 'security', 'terraform'), requiredOutputs: {} }).find(
      (finding) => finding.block.endsWith('"alb_alt_port"'),
    );
    expect(detail?.message).toBe(
      "ingress from 0.0.0.0/0 or ::/0 is only allowed on ports 80 and 443 of the load balancer's security group (ports 8080-8080)",
    );
  });
});

describe('hard-coded account data', () => {
  // Built at run time so no .tf file in the repository contains an account id or a region code.
  const root = mkdtempSync(join(tmpdir(), 'tf-check-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('flags a literal account id, an ARN with an account and a region code, but not the same text in comments', () => {
    const accountId = '1234'.repeat(3);
    const region = ['eu', 'west', '1'].join('-');
    const platform = join(root, 'terraform', 'platform');
    mkdirSync(platform, { recursive: true });
    writeFileSync(
      join(platform, 'versions.tf'),
      'terraform {\n  required_version = ">= 1.10"\n\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = ">= 5.100, < 7.0"\n    }\n  }\n\n  backend "s3" {}\n}\n',
    );
    writeFileSync(
      join(platform, 'main.tf'),
      [
        `# ${accountId} in a comment is fine`,
        'resource "aws_sqs_queue" "this" {',
        `  name   = "queue-${accountId}"`,
        `  policy = "arn:aws:iam::${accountId}:role/x"`,
        `  region = "${region}"`,
        '}',
        '',
      ].join('\n'),
    );
    expect(checkTerraform({ terraformDir: join(root, 'terraform'), requiredOutputs: {} }).map(brief)).toEqual([
      'terraform/platform/main.tf:3 resource "aws_sqs_queue" "this" [hard-coded-account]',
      'terraform/platform/main.tf:4 resource "aws_sqs_queue" "this" [hard-coded-account]',
      'terraform/platform/main.tf:5 resource "aws_sqs_queue" "this" [hard-coded-region]',
    ]);
  });
});

describe('layout, documentation and version rules', () => {
  it('flags missing module files, undocumented declarations, other version constraints and stale READMEs', () => {
    const incomplete = 'terraform/modules/incomplete';
    const old = 'terraform/modules/old-versions';
    expect(run('structure')).toEqual([
      `${incomplete}/outputs.tf:1 module ${incomplete} [module-files]`,
      `${incomplete}/README.md:1 module ${incomplete} [module-files]`,
      `${incomplete}/variables.tf:1 variable "untyped" [variable-type]`,
      `${incomplete}/variables.tf:5 variable "undocumented" [variable-description]`,
      `${incomplete}/versions.tf:1 module ${incomplete} [module-files]`,
      `${incomplete}/versions.tf:1 terraform [versions]`,
      `${old}/outputs.tf:1 output "queue_url" [output-description]`,
      `${old}/README.md:5 README [readme-docs]`,
      `${old}/versions.tf:1 terraform [versions]`,
      `${old}/versions.tf:1 terraform [versions]`,
    ]);
  });
});

describe('environments, backends and contract outputs', () => {
  it('checks tfvars against the root variables, backend files and the outputs consumers rely on', () => {
    const env = 'terraform/environments';
    expect(
      run('environments', {
        requiredOutputs: { platform: ['vpc_id', 'alb_dns'], storage: ['state_bucket'], absent: ['x'] },
      }),
    ).toEqual([
      'terraform/absent:1 configuration [contract-output]',
      `${env}/dev.backend.hcl:1 backend "s3" [backend-config]`,
      `${env}/dev.backend.hcl:1 backend "s3" [backend-config]`,
      `${env}/dev.tfvars:2 extra [tfvars-undeclared]`,
      `${env}/prod.backend.hcl:1 backend "s3" [backend-config]`,
      `${env}/staging.tfvars:1 file [backend-config]`,
      'terraform/platform/outputs.tf:1 output "alb_dns" [contract-output]',
      'terraform/storage/outputs.tf:1 output "state_bucket" [contract-output]',
      'terraform/storage/terraform.tfvars:2 region [tfvars-undeclared]',
      'terraform/storage/versions.tf:1 terraform [backend-config]',
    ]);
  });

  it('names the undeclared variable and explains the backend problems', () => {
    const messages = checkTerraform({
      terraformDir: join(fixtures, 'environments', 'terraform'),
      requiredOutputs: {},
    }).map((finding) => finding.message);
    expect(messages).toContain('"extra" is not a variable of terraform/platform');
    expect(messages).toContain('dynamodb_table is not needed with use_lockfile; remove it');
    expect(messages).toContain(
      'key "platform/dev.tfstate" is also used by dev.backend.hcl; each state needs its own key',
    );
  });
});

describe('syntax errors', () => {
  it('reports a file that does not parse instead of passing it unchecked', () => {
    expect(run('syntax')).toEqual(['terraform/platform/main.tf:1 file [hcl-syntax]']);
  });
});
