#!/usr/bin/env bash
# Lets a release go ahead only for a commit that is on main: a `v*.*.*` tag can be pushed on any commit (an
# unmerged branch included), and publishing it would move the major tag that every `@v1` user runs.
#
# Environment: RELEASE_SHA (the tagged commit, github.sha), TAG (for messages). Runs in a checkout with full history
# (actions/checkout with fetch-depth: 0), where origin/main is the remote's main.
set -euo pipefail

sha="${RELEASE_SHA:?RELEASE_SHA is not set}"
tag="${TAG:-this tag}"

if [ "$(git rev-parse --is-shallow-repository)" = true ]; then
  echo "::error title=Shallow checkout::The checkout is shallow, so whether ${sha} is on main cannot be told: check out with fetch-depth: 0."
  exit 1
fi
if ! git rev-parse --verify --quiet 'refs/remotes/origin/main^{commit}' > /dev/null; then
  echo "::error title=No origin/main::origin/main is not in this checkout: check out with fetch-depth: 0 so every branch is fetched."
  exit 1
fi
if ! git cat-file -e "${sha}^{commit}" 2> /dev/null; then
  echo "::error title=Unknown commit::${sha} is not a commit of this checkout."
  exit 1
fi
if ! git merge-base --is-ancestor "$sha" origin/main; then
  echo "::error title=${tag} is not on main::${tag} points at ${sha}, which is not on main: only merged commits are released. Delete the tag (git push --delete origin ${tag}), merge the change, and tag the merged commit on main."
  exit 1
fi
echo "${tag} (${sha}) is on main."
