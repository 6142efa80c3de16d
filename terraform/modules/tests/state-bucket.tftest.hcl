# The Terraform state bucket: encrypted, versioned, private. Its TLS-only policy is checked on a real-provider plan
# (test/terraform), because a mocked policy document renders no policy.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  bucket_name = "berth-terraform-state"
}

run "encrypted_versioned_private" {
  command = plan

  module {
    source = "./state-bucket"
  }

  assert {
    condition = (
      one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms" &&
      one(aws_s3_bucket_server_side_encryption_configuration.this.rule).bucket_key_enabled
    )
    error_message = "State is encrypted with KMS by default."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "Versioning keeps earlier state versions."
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.this.block_public_acls &&
      aws_s3_bucket_public_access_block.this.block_public_policy &&
      aws_s3_bucket_public_access_block.this.ignore_public_acls &&
      aws_s3_bucket_public_access_block.this.restrict_public_buckets
    )
    error_message = "All public access is blocked."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced" && !aws_s3_bucket.this.force_destroy
    error_message = "The bucket owns every object and cannot be destroyed while it holds state."
  }

  assert {
    condition     = output.bucket_arn == "arn:aws:s3:::berth-terraform-state"
    error_message = "The bucket ARN follows from its name, before the bucket exists."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./state-bucket"
  }

  variables {
    bucket_name                        = "Berth_State"
    noncurrent_version_expiration_days = 0
  }

  expect_failures = [var.bucket_name, var.noncurrent_version_expiration_days]
}
