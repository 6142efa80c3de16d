# ECR: one repository per service, immutable tags, scan on push, encrypted, lifecycle rules.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  project  = "berth"
  services = ["api-gateway", "product-service", "inventory-service"]
}

run "immutable_scanned_repositories" {
  command = plan

  module {
    source = "./ecr"
  }

  assert {
    condition     = toset([for repository in aws_ecr_repository.this : repository.name]) == toset(["berth/api-gateway", "berth/product-service", "berth/inventory-service"])
    error_message = "Each service gets a repository named <project>/<service>."
  }

  assert {
    condition = alltrue([
      for repository in aws_ecr_repository.this :
      repository.image_tag_mutability == "IMMUTABLE" &&
      repository.image_scanning_configuration[0].scan_on_push &&
      repository.encryption_configuration[0].encryption_type == "AES256"
    ])
    error_message = "Tags are immutable, images are scanned on push and encrypted."
  }

  assert {
    condition     = alltrue([for policy in aws_ecr_lifecycle_policy.this : jsondecode(policy.policy).rules[1].selection.countNumber == 30])
    error_message = "Each repository keeps the 30 most recent images."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./ecr"
  }

  variables {
    services             = ["API_Gateway"]
    keep_last_images     = 0
    untagged_expiry_days = 0
  }

  expect_failures = [var.services, var.keep_last_images, var.untagged_expiry_days]
}
