variable "create_oidc_provider" {
  type        = bool
  description = "Create the token.actions.githubusercontent.com provider; false uses the one already in the account (an account has at most one)."
  default     = true
}
