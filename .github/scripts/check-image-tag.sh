#!/usr/bin/env bash
# Checks the image tag a deploy is asked for before any job holds AWS credentials. The tag is pasted into
# render-task-definition's `images` list (`service=repository:tag`, split on commas and new lines), so anything but a
# commit SHA could name another image: `abc,api-gateway=docker.io/attacker/x:1`. Accepted: the full 40-character
# lowercase hex SHA of a commit whose images the build job pushed, or empty for the commit being deployed.
#
# Environment: IMAGE_TAG (the requested tag, may be empty); COMMIT_SHA (the tag used when IMAGE_TAG is empty; when it
# is unset too, an empty IMAGE_TAG is refused); INPUT_NAME (how the error names the input, default image-tag).
# Writes image-tag (the tag to deploy) and redeploy (true when IMAGE_TAG named an earlier build) to GITHUB_OUTPUT.
# The requested value itself is never printed: a new line in it could start a workflow command.
set -euo pipefail

name="${INPUT_NAME:-image-tag}"
requested="${IMAGE_TAG-}"
fallback="${COMMIT_SHA-}"
sha_pattern='^[0-9a-f]{40}$'

fail() {
  echo "::error title=${name} refused::$1"
  exit 1
}

if [ -z "$requested" ]; then
  if [ -z "$fallback" ]; then
    fail "${name} is empty. Give the full 40-character lowercase SHA of a commit whose images Deploy has built (git rev-parse <commit>)."
  fi
  if ! [[ "$fallback" =~ $sha_pattern ]]; then
    fail "the commit being deployed (${fallback}) is not a 40-character lowercase hex SHA."
  fi
  tag="$fallback"
  redeploy=false
else
  problems=()
  if [[ "$requested" == *,* ]]; then problems+=("it contains a comma, which would start another entry of the images list"); fi
  if [[ "$requested" == *=* ]]; then problems+=("it contains '=', which would name a container"); fi
  if [[ "$requested" =~ [[:space:]] ]]; then problems+=("it contains white space or a line break"); fi
  if [[ "$requested" =~ [A-F] ]]; then problems+=("it contains upper-case letters (a SHA is lower-case)"); fi
  if [[ "$requested" =~ [^0-9a-fA-F,=[:space:]] ]]; then
    problems+=("it contains characters other than 0-9 and a-f (a tag, a registry or a digest is not accepted)")
  fi
  if [ "${#requested}" -ne 40 ]; then problems+=("it is ${#requested} characters long, not 40"); fi
  if [ "${#problems[@]}" -gt 0 ]; then
    joined="$(printf '%s; ' "${problems[@]}")"
    fail "${name} is not a commit SHA: ${joined%; }. Give the full 40-character lowercase SHA of a commit whose images Deploy has built (git rev-parse <commit>), or leave ${name} empty to test, build and deploy the current commit."
  fi
  tag="$requested"
  redeploy=true
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "image-tag=$tag"
    echo "redeploy=$redeploy"
  } >> "$GITHUB_OUTPUT"
fi
echo "Deploying the images tagged $tag (redeploy: $redeploy)."
