# The cache: encrypted at rest and in transit; failover from two nodes on.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name               = "berth-dev"
  node_type          = "cache.t4g.micro"
  node_count         = 1
  subnet_ids         = ["subnet-0a", "subnet-0b"]
  security_group_ids = ["sg-0cache"]
}

run "encrypted_single_node" {
  command = plan

  module {
    source = "./cache"
  }

  assert {
    condition     = tobool(aws_elasticache_replication_group.this.at_rest_encryption_enabled) && tobool(aws_elasticache_replication_group.this.transit_encryption_enabled)
    error_message = "The cache encrypts at rest and in transit."
  }

  assert {
    condition     = !aws_elasticache_replication_group.this.automatic_failover_enabled && !aws_elasticache_replication_group.this.multi_az_enabled
    error_message = "One node has no failover."
  }
}

run "failover_with_two_nodes" {
  command = plan

  module {
    source = "./cache"
  }

  variables {
    node_count = 2
  }

  assert {
    condition     = aws_elasticache_replication_group.this.automatic_failover_enabled && aws_elasticache_replication_group.this.multi_az_enabled
    error_message = "Two nodes turn on automatic failover and Multi-AZ."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./cache"
  }

  variables {
    name                    = "Berth_Dev"
    engine                  = "memcached"
    node_type               = "t4g.micro"
    node_count              = 7
    snapshot_retention_days = 36
  }

  expect_failures = [var.name, var.engine, var.node_type, var.node_count, var.snapshot_retention_days]
}
