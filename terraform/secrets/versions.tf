terraform {
  # 1.11: the generated secrets are written through write-only arguments (modules/generated-secret).
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }

  # Partial configuration: bucket, key and region come from ../environments/<env>.secrets.backend.hcl (the key sits
  # next to the platform's state, platform/<env>/secrets.tfstate).
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = local.tags
  }
}
