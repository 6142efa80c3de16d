# The VPC: public and private subnets per zone, NAT when asked for, the free S3 gateway endpoint always.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name               = "berth-dev"
  region             = "us-east-1"
  cidr_block         = "10.10.0.0/16"
  az_count           = 2
  enable_nat_gateway = false
}

run "without_nat" {
  command = plan

  module {
    source = "./vpc"
  }

  assert {
    condition     = output.availability_zones == tolist(["us-east-1a", "us-east-1b"]) && [for subnet in aws_subnet.private : subnet.cidr_block] == ["10.10.100.0/24", "10.10.101.0/24"]
    error_message = "One public and one private subnet per zone, private ones from 10.x.100.0/24 on."
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 0 && length(aws_route.private_nat) == 0
    error_message = "Without NAT the private subnets have no route to the internet."
  }

  assert {
    condition     = aws_vpc_endpoint.s3.service_name == "com.amazonaws.us-east-1.s3" && aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway"
    error_message = "The S3 gateway endpoint is in the VPC's region."
  }
}

run "with_nat" {
  command = plan

  module {
    source = "./vpc"
  }

  variables {
    enable_nat_gateway = true
    az_count           = 3
  }

  assert {
    condition     = length(aws_nat_gateway.this) == 1 && aws_route.private_nat[0].destination_cidr_block == "0.0.0.0/0" && length(aws_subnet.private) == 3
    error_message = "With NAT one gateway routes the private subnets of every zone to the internet."
  }
}

run "rejects_invalid_inputs" {
  command = plan

  module {
    source = "./vpc"
  }

  variables {
    region     = "moon-1"
    cidr_block = "10.10.0.0/24"
    az_count   = 1
  }

  expect_failures = [var.region, var.cidr_block, var.az_count]
}
