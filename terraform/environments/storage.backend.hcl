bucket       = "berth-terraform-state"
key          = "storage/terraform.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
