import { blocks, collectStrings, expressionText, isExpression, labelled, type HclBody, type HclValue } from './hcl.ts';
import type { Configuration, Declaration } from './config.ts';
import type { Finding } from './findings.ts';
import { attributeLine } from './structure.ts';

type Resource = Declaration & { type: string; name: string };

function resourcesOfType(config: Configuration, type: string): Resource[] {
  return [...config.resources.values()].filter((resource) => resource.type === type);
}

/** True when an attribute's expression mentions `<type>.<name>` (how companion resources point at a bucket). */
function references(value: HclValue | undefined, type: string, name: string): boolean {
  const pattern = new RegExp(`(?<![\\w.-])${type}\\.${name}(?![\\w-])`);
  return collectStrings(value).some((text) => isExpression(text) && pattern.test(text));
}

function companions(config: Configuration, type: string, bucket: Resource): Resource[] {
  return resourcesOfType(config, type).filter((resource) => references(resource.body.bucket, bucket.type, bucket.name));
}

function finding(
  config: Configuration,
  resource: Resource,
  rule: string,
  message: string,
  attribute?: string,
): Finding {
  const line = attribute ? attributeLine(config, resource, attribute) : resource.line;
  return { file: resource.file, line, block: resource.block, rule, message };
}

/**
 * S3 buckets (the state bucket above all): default encryption, all four public-access blocks, versioning, and a
 * bucket policy denying requests without TLS.
 */
export function checkS3Buckets(config: Configuration, findings: Finding[]): void {
  for (const bucket of resourcesOfType(config, 'aws_s3_bucket')) {
    const encryption = companions(config, 'aws_s3_bucket_server_side_encryption_configuration', bucket);
    const encrypts = encryption.some((resource) =>
      blocks(resource.body, 'rule').some((rule) =>
        blocks(rule, 'apply_server_side_encryption_by_default').some(
          (sse) => typeof sse.sse_algorithm === 'string' && sse.sse_algorithm !== '',
        ),
      ),
    );
    if (!encrypts) {
      findings.push(
        finding(
          config,
          bucket,
          's3-encryption',
          'bucket has no aws_s3_bucket_server_side_encryption_configuration with a default sse_algorithm',
        ),
      );
    }
    const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
    const blocked = companions(config, 'aws_s3_bucket_public_access_block', bucket).some((resource) =>
      flags.every((flag) => resource.body[flag] === true),
    );
    if (!blocked) {
      findings.push(
        finding(
          config,
          bucket,
          's3-public-access',
          `bucket needs an aws_s3_bucket_public_access_block with ${flags.join(', ')} all true`,
        ),
      );
    }
    const versioned = companions(config, 'aws_s3_bucket_versioning', bucket).some((resource) =>
      blocks(resource.body, 'versioning_configuration').some((configuration) => configuration.status === 'Enabled'),
    );
    if (!versioned) {
      findings.push(
        finding(config, bucket, 's3-versioning', 'bucket needs aws_s3_bucket_versioning with status = "Enabled"'),
      );
    }
    const policies = companions(config, 'aws_s3_bucket_policy', bucket);
    const deniesPlainHttp = policies.some((policy) =>
      policyText(config, policy.body.policy).some(deniesInsecureTransport),
    );
    if (!deniesPlainHttp) {
      findings.push(
        finding(
          config,
          bucket,
          's3-tls-only',
          'bucket needs an aws_s3_bucket_policy that denies requests where aws:SecureTransport is false',
        ),
      );
    }
  }
}

/** The policy's own text plus the bodies of any `data.aws_iam_policy_document` it is built from. */
function policyText(config: Configuration, policy: HclValue | undefined): HclBody[] {
  const documents: HclBody[] = [];
  for (const text of collectStrings(policy)) {
    for (const match of text.matchAll(/data\.aws_iam_policy_document\.([A-Za-z_][\w-]*)/g)) {
      const document = config.data.get(`aws_iam_policy_document.${match[1]}`);
      if (document) documents.push(document.body);
    }
    if (isExpression(text) && text.includes('aws:SecureTransport')) documents.push({ inline: expressionText(text) });
  }
  return documents;
}

function deniesInsecureTransport(document: HclBody): boolean {
  if (typeof document.inline === 'string') {
    return /Deny/.test(document.inline) && /aws:SecureTransport/.test(document.inline) && /false/.test(document.inline);
  }
  return blocks(document, 'statement').some(
    (statement) =>
      statement.effect === 'Deny' &&
      blocks(statement, 'condition').some(
        (condition) =>
          condition.variable === 'aws:SecureTransport' &&
          Array.isArray(condition.values) &&
          condition.values.some((value) => value === 'false' || value === false),
      ),
  );
}

/** ECR: scan on push, immutable tags, explicit encryption. */
export function checkEcr(config: Configuration, findings: Finding[]): void {
  for (const repository of resourcesOfType(config, 'aws_ecr_repository')) {
    const scans = blocks(repository.body, 'image_scanning_configuration').some((scan) => scan.scan_on_push === true);
    if (!scans)
      findings.push(
        finding(
          config,
          repository,
          'ecr-scan-on-push',
          'repository needs image_scanning_configuration { scan_on_push = true }',
        ),
      );
    if (repository.body.image_tag_mutability !== 'IMMUTABLE') {
      findings.push(
        finding(
          config,
          repository,
          'ecr-immutable-tags',
          'image_tag_mutability must be "IMMUTABLE"',
          'image_tag_mutability',
        ),
      );
    }
    if (blocks(repository.body, 'encryption_configuration').length === 0) {
      findings.push(
        finding(config, repository, 'ecr-encryption', 'repository needs an encryption_configuration block'),
      );
    }
  }
}

const OPEN_IPV4 = '0.0.0.0/0';
const OPEN_IPV6 = '::/0';
const PUBLIC_LOAD_BALANCER_PORTS = [80, 443];

function isOpen(value: HclValue | undefined): boolean {
  return collectStrings(value).some((text) => text.includes(OPEN_IPV4) || text.includes(OPEN_IPV6));
}

/** The load balancer's group is recognised by name: a security group resource called `alb` or `*_alb`/`alb_*`. */
function targetsLoadBalancerGroup(value: HclValue | undefined): boolean {
  return collectStrings(value).some((text) => /aws_security_group\.(?:\w+_)?alb(?:_\w+)?\b/.test(text));
}

/**
 * No ingress from the whole internet, except ports 80 and 443 of the load balancer's security group. Covers the
 * standalone rule resources and inline `ingress` blocks.
 */
export function checkOpenIngress(config: Configuration, findings: Finding[]): void {
  const single = (
    resource: Resource,
    from: HclValue | undefined,
    to: HclValue | undefined,
    group: HclValue | undefined,
  ): void => {
    const port = typeof from === 'number' && from === to ? from : undefined;
    if (port !== undefined && PUBLIC_LOAD_BALANCER_PORTS.includes(port) && targetsLoadBalancerGroup(group)) return;
    findings.push(
      finding(
        config,
        resource,
        'open-ingress',
        `ingress from ${OPEN_IPV4} or ${OPEN_IPV6} is only allowed on ports 80 and 443 of the load balancer's security group (ports ${String(from)}-${String(to)})`,
      ),
    );
  };
  for (const rule of resourcesOfType(config, 'aws_vpc_security_group_ingress_rule')) {
    if (isOpen(rule.body.cidr_ipv4) || isOpen(rule.body.cidr_ipv6))
      single(rule, rule.body.from_port, rule.body.to_port, rule.body.security_group_id);
  }
  for (const rule of resourcesOfType(config, 'aws_security_group_rule')) {
    if (rule.body.type === 'ingress' && (isOpen(rule.body.cidr_blocks) || isOpen(rule.body.ipv6_cidr_blocks))) {
      single(rule, rule.body.from_port, rule.body.to_port, rule.body.security_group_id);
    }
  }
  for (const group of resourcesOfType(config, 'aws_security_group')) {
    for (const ingress of blocks(group.body, 'ingress')) {
      if (isOpen(ingress.cidr_blocks) || isOpen(ingress.ipv6_cidr_blocks)) {
        const self = `\${aws_security_group.${group.name}.id}`;
        single(group, ingress.from_port, ingress.to_port, self);
      }
    }
  }
}

/** RDS: never public, encrypted storage, password generated and kept by RDS in Secrets Manager. */
export function checkDatabases(config: Configuration, findings: Finding[]): void {
  for (const database of resourcesOfType(config, 'aws_db_instance')) {
    if (database.body.publicly_accessible !== false) {
      findings.push(
        finding(
          config,
          database,
          'database-not-public',
          'publicly_accessible must be set to false',
          'publicly_accessible',
        ),
      );
    }
    if (database.body.storage_encrypted !== true) {
      findings.push(
        finding(config, database, 'database-encryption', 'storage_encrypted must be true', 'storage_encrypted'),
      );
    }
    if (database.body.manage_master_user_password !== true || 'password' in database.body) {
      findings.push(
        finding(
          config,
          database,
          'database-managed-password',
          'set manage_master_user_password = true and no password argument, so RDS keeps the secret',
        ),
      );
    }
  }
}

/** ElastiCache: encryption in transit and at rest. */
export function checkCaches(config: Configuration, findings: Finding[]): void {
  for (const cache of resourcesOfType(config, 'aws_elasticache_replication_group')) {
    for (const flag of ['at_rest_encryption_enabled', 'transit_encryption_enabled']) {
      if (cache.body[flag] !== true)
        findings.push(finding(config, cache, 'cache-encryption', `${flag} must be true`, flag));
    }
  }
  for (const cluster of resourcesOfType(config, 'aws_elasticache_cluster')) {
    if (cluster.body.replication_group_id === undefined) {
      findings.push(
        finding(
          config,
          cluster,
          'cache-encryption',
          'standalone aws_elasticache_cluster cannot encrypt in transit; use aws_elasticache_replication_group',
        ),
      );
    }
  }
}

/** Lambda Function URLs require IAM-signed requests. */
export function checkFunctionUrls(config: Configuration, findings: Finding[]): void {
  for (const url of resourcesOfType(config, 'aws_lambda_function_url')) {
    if (url.body.authorization_type !== 'AWS_IAM') {
      findings.push(
        finding(
          config,
          url,
          'function-url-auth',
          `authorization_type must be "AWS_IAM", got ${JSON.stringify(url.body.authorization_type ?? null)}`,
          'authorization_type',
        ),
      );
    }
  }
}

/**
 * ECS services roll back failed deployments, and leave task definitions to the deploy pipeline. A service that may
 * use the CODE_DEPLOY controller (whose deployment group rolls back instead) writes its breaker as a dynamic block.
 */
export function checkEcsServices(config: Configuration, findings: Finding[]): void {
  const rollsBack = (block: HclBody): boolean => block.enable === true && block.rollback === true;
  for (const service of resourcesOfType(config, 'aws_ecs_service')) {
    const breaker =
      blocks(service.body, 'deployment_circuit_breaker').some(rollsBack) ||
      blocks(labelled(service.body, 'dynamic').get('deployment_circuit_breaker') ?? {}, 'content').some(rollsBack);
    if (!breaker) {
      findings.push(
        finding(
          config,
          service,
          'circuit-breaker',
          'needs deployment_circuit_breaker { enable = true, rollback = true } (a dynamic block with that content for a service that may use CODE_DEPLOY)',
        ),
      );
    }
    const ignored = blocks(service.body, 'lifecycle').some((lifecycle) =>
      collectStrings(lifecycle.ignore_changes).some((text) => expressionText(text).trim() === 'task_definition'),
    );
    if (!ignored) {
      findings.push(
        finding(
          config,
          service,
          'task-definition-owned-by-deploy',
          'lifecycle.ignore_changes must include task_definition so terraform apply does not undo deployments',
        ),
      );
    }
  }
}

const ACCOUNT_ID = /(?<![\w.])\d{12}(?!\w)/;
const REGION =
  /\b(?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d\b/;

/** No account ids (alone or inside ARNs) and no region codes in `.tf` files: they come from data sources and variables. */
export function checkHardCodedAccountData(config: Configuration, findings: Finding[]): void {
  for (const [file, text] of config.files) {
    const lines = text.split('\n');
    for (const [index, line] of lines.entries()) {
      const code = line.replace(/(^|\s)(#|\/\/).*$/, '');
      const block = enclosingBlock(lines, index);
      if (ACCOUNT_ID.test(code)) {
        findings.push({
          file,
          line: index + 1,
          block,
          rule: 'hard-coded-account',
          message: 'a 12-digit account id is written literally; use data.aws_caller_identity or a variable',
        });
      }
      const region = REGION.exec(code);
      if (region) {
        findings.push({
          file,
          line: index + 1,
          block,
          rule: 'hard-coded-region',
          message: `region "${region[0]}" is written literally; use data.aws_region or a variable set in tfvars`,
        });
      }
    }
  }
}

/** The nearest top-level block header above a line, for messages about raw text. */
function enclosingBlock(lines: string[], index: number): string {
  for (let cursor = index; cursor >= 0; cursor -= 1) {
    const header = /^([a-z_]+(?:\s+"[^"]*")*)\s*\{/.exec(lines[cursor] ?? '');
    if (header?.[1]) return header[1];
  }
  return 'file';
}
