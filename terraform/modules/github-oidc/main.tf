data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  github_host = "token.actions.githubusercontent.com"
  # Written out so plans know it before apply, whether the provider is created here or already exists.
  provider_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${local.github_host}"
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_oidc_provider ? 1 : 0

  url            = "https://${local.github_host}"
  client_id_list = ["sts.amazonaws.com"]
}
