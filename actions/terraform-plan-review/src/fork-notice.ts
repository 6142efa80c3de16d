/**
 * The review a fork's pull request gets instead of plans: GitHub gives a fork's workflow no OIDC token and no
 * secrets, and the plan roles trust only this repository's own pull requests, so no plan can run; the static
 * checks (fmt, validate, terraform test, actionlint) still do.
 */
export function forkNoticeBody(marker: string, headRepository: string, repository: string): string {
  return [
    marker,
    '## Terraform plan review',
    '',
    `No plan ran: this pull request comes from the fork \`${headRepository}\`, and plans read ${repository}'s ` +
      'environments with a role that only trusts pull requests from branches of this repository (a fork gets no ' +
      'OIDC token or secrets). The static checks ran and are in the checks of this pull request.',
    '',
    'A maintainer who has reviewed the change can push it to a branch of this repository and open the pull ' +
      'request from there to get the plans and the release diff.',
  ].join('\n');
}
