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

}

# Images are tagged with their commit SHA only, and promotion adds no tag, so nothing tells ECR which image an
# environment runs: only a count of builds keeps prod's running image and its rollback target (the image it ran
# before). A burst of builds that prod has not been promoted to must not expire them.
run "keeps_prods_images_through_unpromoted_builds" {
  command = plan

  module {
    source = "./ecr"
  }

  assert {
    condition = alltrue([
      for policy in aws_ecr_lifecycle_policy.this : jsondecode(policy.policy).rules == [
        {
          rulePriority = 1
          description  = "Expire untagged images"
          selection    = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 1 }
          action       = { type = "expire" }
        },
        {
          rulePriority = 2
          description  = "Keep the 500 most recent images"
          selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 500 }
          action       = { type = "expire" }
        },
      ]
    ])
    error_message = "Untagged images expire after a day; tagged ones only beyond the 500 most recent builds (no age rule: prod may run an old image)."
  }
}

run "refuses_a_count_that_expires_prods_rollback_image_early" {
  command = plan

  module {
    source = "./ecr"
  }

  variables {
    keep_last_images = 30
  }

  expect_failures = [var.keep_last_images]
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
