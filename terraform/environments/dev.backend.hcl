bucket       = "berth-terraform-state"
key          = "platform/dev/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
