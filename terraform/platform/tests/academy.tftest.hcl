# An account that may not create IAM roles (AWS Academy): every role comes from the tfvars, none is created.
# Run with -var-file=../environments/dev.tfvars.

mock_provider "aws" {
  override_during = plan
  source          = "../modules/tests/mocks"
}

variables {
  notifier_sender_email     = "deploys@example.com"
  notifier_recipient_emails = "team@example.com"
  notifier_artifact_path    = "../modules/tests/fixtures/deploy-notifier.zip"
  execution_role_arn        = "arn:aws:iam::111122223333:role/LabRole"
  notifier_role_arn         = "arn:aws:iam::111122223333:role/LabRole"
  codedeploy_role_arn       = "arn:aws:iam::111122223333:role/LabRole"
}

run "lab_role_everywhere" {
  command = plan

  assert {
    condition     = alltrue([for service in module.service : length(service.roles) == 0])
    error_message = "With execution_role_arn set, no task or execution roles are created."
  }

  assert {
    condition = alltrue([
      for name in keys(module.service) :
      output.execution_role_arns[name] == "arn:aws:iam::111122223333:role/LabRole" &&
      output.task_role_arns[name] == "arn:aws:iam::111122223333:role/LabRole" &&
      module.service[name].execution_role_arn == output.execution_role_arns[name] &&
      module.service[name].task_role_arn == output.task_role_arns[name]
    ])
    error_message = "Every service runs with the given role (task_role_arn falls back to execution_role_arn)."
  }

  assert {
    condition     = module.notifier.role_arn == "arn:aws:iam::111122223333:role/LabRole"
    error_message = "The notifier runs as the given role instead of creating one."
  }

  assert {
    condition     = module.notifier.codedeploy_role_arn == "arn:aws:iam::111122223333:role/LabRole"
    error_message = "CodeDeploy moves the notifier's alias as the given role instead of a created one."
  }
}
