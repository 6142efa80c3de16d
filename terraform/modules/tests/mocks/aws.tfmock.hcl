# Mock values shared by every terraform test suite (mock_provider "aws" { source = ".../modules/tests/mocks" }).
mock_data "aws_caller_identity" {
  defaults = { account_id = "111122223333" }
}
mock_data "aws_partition" {
  defaults = { partition = "aws" }
}
mock_data "aws_availability_zones" {
  defaults = { names = ["us-east-1a", "us-east-1b", "us-east-1c"] }
}
# A mocked policy document renders random text, which the provider rejects as a policy.
mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}
# Mocked ARNs must look like ARNs: the provider validates those passed on to other resources.
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::111122223333:role/berth-mock" }
}
mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:us-east-1:111122223333:berth-mock-alarms" }
}
mock_resource "aws_lambda_function" {
  defaults = { arn = "arn:aws:lambda:us-east-1:111122223333:function:berth-mock-deploy-notifier", version = "1" }
}
mock_resource "aws_lambda_alias" {
  defaults = { arn = "arn:aws:lambda:us-east-1:111122223333:function:berth-mock-deploy-notifier:live" }
}
mock_resource "aws_service_discovery_private_dns_namespace" {
  defaults = { id = "ns-mockdns", arn = "arn:aws:servicediscovery:us-east-1:111122223333:namespace/ns-mockdns" }
}
mock_resource "aws_service_discovery_service" {
  defaults = { arn = "arn:aws:servicediscovery:us-east-1:111122223333:service/srv-mock" }
}
mock_resource "aws_lb_listener" {
  defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/berth-mock/0123456789abcdef/0123456789abcdef" }
}
mock_resource "aws_cloudwatch_event_rule" {
  defaults = { arn = "arn:aws:events:us-east-1:111122223333:rule/berth-mock" }
}
mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:us-east-1:111122223333:log-group:berth-mock" }
}
mock_resource "aws_dynamodb_table" {
  defaults = { arn = "arn:aws:dynamodb:us-east-1:111122223333:table/berth-mock" }
}
mock_resource "aws_ecs_cluster" {
  defaults = { arn = "arn:aws:ecs:us-east-1:111122223333:cluster/berth-mock", id = "arn:aws:ecs:us-east-1:111122223333:cluster/berth-mock" }
}
mock_resource "aws_service_discovery_http_namespace" {
  defaults = { arn = "arn:aws:servicediscovery:us-east-1:111122223333:namespace/ns-mock" }
}
mock_resource "aws_lb" {
  defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/berth-mock/0123456789abcdef", arn_suffix = "app/berth-mock/0123456789abcdef" }
}
mock_resource "aws_lb_target_group" {
  defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/berth-mock/0123456789abcdef", arn_suffix = "targetgroup/berth-mock/0123456789abcdef" }
}
mock_resource "aws_ecs_task_definition" {
  defaults = { arn = "arn:aws:ecs:us-east-1:111122223333:task-definition/berth-mock:1" }
}
mock_resource "aws_db_instance" {
  defaults = {
    address            = "berth-mock.abcdefghijkl.us-east-1.rds.amazonaws.com"
    port               = 5432
    master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-mock", secret_status = "active", kms_key_id = "" }]
  }
}
mock_resource "aws_elasticache_replication_group" {
  defaults = { primary_endpoint_address = "master.berth-mock.abcdef.use1.cache.amazonaws.com" }
}
mock_resource "aws_lambda_function_url" {
  defaults = { function_url = "https://mockurl.lambda-url.us-east-1.on.aws/" }
}
mock_resource "aws_vpc" {
  defaults = { id = "vpc-0mock" }
}
mock_resource "aws_subnet" {
  defaults = { id = "subnet-0mock" }
}
mock_resource "aws_ecr_repository" {
  defaults = {
    arn            = "arn:aws:ecr:us-east-1:111122223333:repository/berth/mock"
    repository_url = "111122223333.dkr.ecr.us-east-1.amazonaws.com/berth/mock"
  }
}
mock_resource "aws_iam_openid_connect_provider" {
  defaults = { arn = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
}
mock_resource "aws_wafv2_web_acl" {
  defaults = { arn = "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/berth-mock/00000000-0000-0000-0000-000000000000" }
}
mock_resource "aws_acm_certificate" {
  defaults = { arn = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000" }
}
mock_resource "aws_secretsmanager_secret" {
  defaults = { arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:berth-mock-AbCdEf" }
}
# The platform looks up terraform/secrets' secrets by name; task definitions take their ARNs as valueFrom.
mock_data "aws_secretsmanager_secret" {
  defaults = { arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:berth-mock-AbCdEf" }
}
