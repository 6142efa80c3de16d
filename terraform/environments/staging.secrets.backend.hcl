bucket       = "berth-terraform-state"
key          = "platform/staging/secrets.tfstate"
region       = "us-east-1"
encrypt      = true
use_lockfile = true
