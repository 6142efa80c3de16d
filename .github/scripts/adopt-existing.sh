#!/usr/bin/env bash
# Adopts into the Terraform state what a plan would create but AWS already has: the named resources an earlier,
# failed run created and whose state was lost (the first storage apply keeps its state on the runner until the
# bucket exists). Creating them again would fail with "already exists". Only resources whose names are theirs alone
# are adopted: the S3 bucket, ECR repositories, the GitHub OIDC provider, IAM roles and managed IAM policies; the
# settings beside them (bucket policy, versioning, attachments, lifecycle policies) are simply written again.
#
# Usage: adopt-existing.sh ROOT PLAN_JSON — ROOT is the Terraform root directory, PLAN_JSON `terraform show -json`
# of a plan of ROOT against its current state. Needs aws (signed in to the account), terraform and jq.
# Writes what it adopted to GITHUB_STEP_SUMMARY when set.
set -euo pipefail

root="${1:?usage: adopt-existing.sh ROOT PLAN_JSON}"
plan="${2:?usage: adopt-existing.sh ROOT PLAN_JSON}"

# address <TAB> type <TAB> name (bucket name, repository or role name, policy path+name, provider host)
candidates="$(jq -r '
  .resource_changes[]?
  | select(.mode == "managed" and .change.actions == ["create"])
  | select(.type | IN("aws_s3_bucket", "aws_ecr_repository", "aws_iam_openid_connect_provider", "aws_iam_role", "aws_iam_policy"))
  | . as $change
  | (if .type == "aws_s3_bucket" then .change.after.bucket
     elif .type == "aws_iam_openid_connect_provider" then (.change.after.url // "" | sub("^https://"; ""))
     elif .type == "aws_iam_policy" then (if .change.after.name then (.change.after.path // "/") + .change.after.name else null end)
     else .change.after.name end) as $name
  | select($name != null and $name != "")
  | [$change.address, $change.type, $name] | @tsv' "$plan")"

if [ -z "$candidates" ]; then
  echo "Nothing to adopt: the plan creates no bucket, repository, OIDC provider, role or policy."
  exit 0
fi

arn_prefix=""
iam_arn_prefix() {
  if [ -z "$arn_prefix" ]; then
    local caller
    caller="$(aws sts get-caller-identity --query Arn --output text)"
    # arn:<partition>:<service>::<account>:...
    arn_prefix="arn:$(cut -d: -f2 <<< "$caller"):iam::$(cut -d: -f5 <<< "$caller")"
  fi
  echo "$arn_prefix"
}

adopted=()
failures=()
while IFS=$'\t' read -r address type name; do
  case "$type" in
    aws_s3_bucket) id="$name" lookup=(s3api head-bucket --bucket "$name") ;;
    aws_ecr_repository) id="$name" lookup=(ecr describe-repositories --repository-names "$name") ;;
    aws_iam_role) id="$name" lookup=(iam get-role --role-name "$name") ;;
    aws_iam_policy)
      id="$(iam_arn_prefix):policy${name}"
      lookup=(iam get-policy --policy-arn "$id")
      ;;
    aws_iam_openid_connect_provider)
      id="$(iam_arn_prefix):oidc-provider/${name}"
      lookup=(iam get-open-id-connect-provider --open-id-connect-provider-arn "$id")
      ;;
  esac
  if answer="$(aws "${lookup[@]}" 2>&1 > /dev/null)"; then
    echo "Adopting $address: $id already exists."
    terraform -chdir="$root" import -input=false -no-color "$address" "$id"
    adopted+=("$address ($id)")
  elif [[ "$answer" =~ NoSuchEntity|RepositoryNotFoundException|\(404\)|Not\ Found ]]; then
    : # Not there: the apply creates it.
  elif [ "$type" = aws_s3_bucket ] && [[ "$answer" =~ \(403\)|Forbidden ]]; then
    failures+=("bucket $name exists but is not this account's (bucket names are global): choose another name (state_bucket_name and the bucket in terraform/environments/storage.backend.hcl)")
  else
    failures+=("could not tell whether $id exists: $answer")
  fi
done <<< "$candidates"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ "${#adopted[@]}" -gt 0 ]; then
  {
    echo "### Adopted into the state"
    echo
    printf -- '- `%s`\n' "${adopted[@]}"
  } >> "$GITHUB_STEP_SUMMARY"
fi
if [ "${#failures[@]}" -gt 0 ]; then
  for failure in "${failures[@]}"; do echo "::error title=Cannot adopt::$failure"; done
  exit 1
fi
echo "Adopted ${#adopted[@]} existing resource(s)."
