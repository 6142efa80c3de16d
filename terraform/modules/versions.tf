# Not a module: it lets `terraform test` run every module's suite (tests/*.tftest.hcl, each run naming its module
# with `module { source = "./<module>" }`) in one process, because each process loads the AWS provider's schema
# anew, which costs several CPU-seconds.
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}
