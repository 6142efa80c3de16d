bucket       = "berth-terraform-state"
key          = "platform/prod/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
