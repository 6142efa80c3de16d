# Loaded automatically in this directory. github_repository is not set here: workflows pass
# TF_VAR_github_repository from github.repository so a fork or rename needs no edit.
aws_region = "us-east-1"
