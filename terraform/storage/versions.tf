terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }

  # Partial configuration from ../environments/storage.backend.hcl; docs/infrastructure.md explains the
  # one-time bootstrap, since this configuration creates the bucket its own state lives in.
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = local.tags
  }
}
