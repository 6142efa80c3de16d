data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  # The names terraform/platform gives this environment's resources (tools/iam tests compare them with a plan of
  # the platform): everything is <project>-<environment>…, tagged Environment = <environment>.
  name_prefix = "${var.project}-${var.environment}"
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
  in_region   = "${var.region}:${local.account_id}"

  cluster_arn                 = "arn:${local.partition}:ecs:${local.in_region}:cluster/${local.name_prefix}"
  service_arns                = [for service in var.services : "arn:${local.partition}:ecs:${local.in_region}:service/${local.name_prefix}/${service}"]
  task_definition_family_arns = [for service in var.services : "arn:${local.partition}:ecs:${local.in_region}:task-definition/${local.name_prefix}-${service}:*"]
  iam_prefix                  = "arn:${local.partition}:iam::${local.account_id}"
  # Each service's own task and execution roles, as terraform/platform names them (path "/"); the deploy role may
  # pass exactly these, and the roles the account brings (existing_task_role_arns).
  task_role_arns      = [for service in var.services : "${local.iam_prefix}:role/${local.name_prefix}-${service}-task"]
  execution_role_arns = [for service in var.services : "${local.iam_prefix}:role/${local.name_prefix}-${service}-execution"]
  # Roles the platform creates for this environment; the terraform role may create and pass only these.
  platform_roles_arn = "${local.iam_prefix}:role/${local.name_prefix}-*"
  notifier_arn       = "arn:${local.partition}:lambda:${local.in_region}:function:${local.name_prefix}-deploy-notifier"
  # The Function URL is on an alias (function:NAME:ALIAS), which IAM matches only with its qualifier.
  notifier_arns = [local.notifier_arn, "${local.notifier_arn}:*"]
  # The environment's own SES identities (an identity is account-wide: each environment has its own address).
  sender_identity_arns = [for address in var.sender_emails : "arn:${local.partition}:ses:${local.in_region}:identity/${address}"]
  state_bucket_arn     = "arn:${local.partition}:s3:::${var.state_bucket_name}"
  state_object_arn     = "${local.state_bucket_arn}/${var.state_key}"
  # terraform/secrets: only the terraform role applies it (its refresh reads secret values).
  secrets_state_object_arn = "${local.state_bucket_arn}/${var.secrets_state_key}"
  deploy_role_name         = "${var.project}-github-${var.environment}-deploy"
  terraform_role_name      = "${var.project}-github-${var.environment}-terraform"
  boundary_name            = "${local.name_prefix}-permissions-boundary"
  boundary_arn             = "${local.iam_prefix}:policy/${local.boundary_name}"
  plan_role_name           = "${var.project}-github-${var.environment}-plan"

  # OIDC subjects (the repository's subject template is repo, context, job_workflow_ref): each role trusts only
  # Berth's own workflow files, run from main (or, for plans, from a pull request of this repository), so a
  # branch, another workflow, a tag, another environment or repository never matches, and no two roles share a
  # subject.
  repository     = var.github_repository
  workflow_ref   = "job_workflow_ref:${local.repository}/.github/workflows"
  in_environment = "repo:${local.repository}:environment:${var.environment}"
  on_main        = "repo:${local.repository}:ref:refs/heads/main"
  deploy_subjects = [
    "${local.in_environment}:${local.workflow_ref}/deploy-environment.yml@refs/heads/main",
  ]
  terraform_subjects = [
    for workflow in ["terraform-apply.yml", "terraform-destroy.yml"] :
    "${local.in_environment}:${local.workflow_ref}/${workflow}@refs/heads/main"
  ]
  # Forks' pull requests get no id-token; plan-review.yml runs its AWS jobs for same-repository pull requests only.
  plan_subject_patterns = ["repo:${local.repository}:pull_request:${local.workflow_ref}/plan-review.yml@refs/pull/*/merge"]
  plan_subjects         = ["${local.on_main}:${local.workflow_ref}/drift.yml@refs/heads/main"]

  tags = { Environment = var.environment }
}

module "deploy_role" {
  source = "../github-actions-role"

  name                 = local.deploy_role_name
  description          = "Deploys ${var.environment}: registers task definitions and rolls out the services of ${local.name_prefix}"
  oidc_provider_arn    = var.oidc_provider_arn
  subjects             = local.deploy_subjects
  max_session_duration = var.max_session_duration
  policies             = { deploy = data.aws_iam_policy_document.deploy.json }
  tags                 = merge(local.tags, { Purpose = "deploy" })
}

module "terraform_role" {
  source = "../github-actions-role"

  name                 = local.terraform_role_name
  description          = "Plans, applies and destroys terraform/platform for ${var.environment}"
  oidc_provider_arn    = var.oidc_provider_arn
  subjects             = local.terraform_subjects
  max_session_duration = var.max_session_duration
  policies = {
    state-and-reads = data.aws_iam_policy_document.terraform_state_and_reads.json
    network         = data.aws_iam_policy_document.terraform_network.json
    compute         = data.aws_iam_policy_document.terraform_compute.json
    data-stores     = data.aws_iam_policy_document.terraform_data_stores.json
    iam             = data.aws_iam_policy_document.terraform_iam.json
    notifications   = data.aws_iam_policy_document.terraform_notifications.json
    deployments     = data.aws_iam_policy_document.terraform_deployments.json
    edge            = data.aws_iam_policy_document.terraform_edge.json
  }
  tags = merge(local.tags, { Purpose = "terraform" })
}

# Read-only: plans of the environment from pull requests and the drift check (-lock=false), never a write.
module "plan_role" {
  source = "../github-actions-role"

  name                 = local.plan_role_name
  description          = "Plans terraform/platform for ${var.environment} read-only (-lock=false): pull request reviews and drift checks"
  oidc_provider_arn    = var.oidc_provider_arn
  subjects             = local.plan_subjects
  subject_patterns     = local.plan_subject_patterns
  max_session_duration = var.max_session_duration
  policies = {
    state-and-reads = data.aws_iam_policy_document.plan_state_and_reads.json
    reads           = data.aws_iam_policy_document.plan_reads.json
  }
  tags = merge(local.tags, { Purpose = "plan" })
}

# Every role the terraform role creates must carry this boundary, so no role it makes can do more than the
# environment's workloads need, whatever policy it is given.
resource "aws_iam_policy" "boundary" {
  name        = local.boundary_name
  description = "Permissions boundary of every role terraform/platform creates in ${var.environment}"
  policy      = data.aws_iam_policy_document.boundary.json
  tags        = merge(local.tags, { Purpose = "permissions-boundary" })
}
