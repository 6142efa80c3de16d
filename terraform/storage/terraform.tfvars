# Loaded automatically in this directory. github_repository is not set here: workflows pass
# TF_VAR_github_repository from github.repository so a fork or rename needs no edit.
aws_region = "us-east-1"
# environment_sender_emails is not set here either: storage-apply passes TF_VAR_environment_sender_emails from the
# repository variable NOTIFIER_SENDER_EMAILS, the same map the platform workflows take each environment's sender from.
