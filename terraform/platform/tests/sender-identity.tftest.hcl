# An environment applied before the notifier moved to SES v2 adopts its existing sender identity
# (notifier_adopt_sender_identity, moved.tf): the plan imports aws_sesv2_email_identity and keeps SES v1's state
# entry from deleting the identity. Runs with ../environments/dev.tfvars.

mock_provider "aws" {
  source = "../modules/tests/mocks"
}

variables {
  notifier_sender_email     = "deploys-dev@example.com"
  notifier_recipient_emails = "team@example.com"
  notifier_artifact_path    = "../modules/tests/fixtures/deploy-notifier.zip"
}

# An import reads the identity from SES; a mock provider answers that read only through an override (and refuses
# an import without one). A created identity's ARN is unknown until apply; an imported one's is read while planning.
override_resource {
  target = module.notifier.aws_sesv2_email_identity.sender
  values = { email_identity = "deploys-dev@example.com", arn = "arn:aws:ses:us-east-1:123456789012:identity/deploys-dev@example.com" }
}

run "adopts_the_existing_sender_identity" {
  command = plan

  variables {
    notifier_adopt_sender_identity = true
  }

  assert {
    condition     = module.notifier.sender_identity_arn == "arn:aws:ses:us-east-1:123456789012:identity/deploys-dev@example.com"
    error_message = "The plan imports the existing identity of notifier_sender_email instead of creating one."
  }
}
