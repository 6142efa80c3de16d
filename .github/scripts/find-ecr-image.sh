#!/usr/bin/env bash
# Looks one service's image up in ECR by its tag, with `aws ecr describe-images` (the build role may). Tags are
# immutable, so an image that is there is the one that was built for that commit.
#
# Environment: SERVICE (for messages), REPOSITORY_URL (registry/name, the ECR_*_URL secret), IMAGE_TAG (a checked
# commit SHA), REQUIRE_IMAGE (true for a redeploy: a missing image is an error, since nothing builds it).
# Writes found=true|false to GITHUB_OUTPUT. Any error other than "image not found" fails the step with AWS's words.
set -euo pipefail

if [ -z "${REPOSITORY_URL:-}" ]; then
  echo "::error title=No ECR repository::The ECR repository secret for ${SERVICE} is empty: run the storage-apply workflow first (docs/runbook.md)."
  exit 1
fi
repository_name="${REPOSITORY_URL#*/}"

found=false
if answer="$(aws ecr describe-images --repository-name "$repository_name" --image-ids imageTag="$IMAGE_TAG" \
  --query 'imageDetails[0].imageDigest' --output text 2>&1)"; then
  found=true
  echo "::notice::${SERVICE}:${IMAGE_TAG} is in ECR (${answer})."
elif [[ "$answer" == *ImageNotFoundException* ]]; then
  if [ "${REQUIRE_IMAGE:-false}" = true ]; then
    echo "::error title=${SERVICE} image missing::${repository_name} has no image tagged ${IMAGE_TAG}: Deploy never built that commit (or ECR expired it). Redeploy a commit that Deploy has built, or run Deploy without image-tag to build the current one."
    exit 1
  fi
else
  echo "::error title=ECR lookup failed::Could not look ${SERVICE}:${IMAGE_TAG} up in ${repository_name}: ${answer}"
  exit 1
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "found=$found" >> "$GITHUB_OUTPUT"; fi
