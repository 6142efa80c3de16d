# Not a module: it lets `terraform test` run every module's suite (tests/*.tftest.hcl, each run naming its module
# with `module { source = "./<module>" }`) in one process, because each process loads the AWS provider's schema
# anew, which costs several CPU-seconds.
terraform {
  # 1.11: modules/generated-secret writes through a write-only argument.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}
