/**
 * The release of Berth's actions, sent in every user agent. The release workflow refuses a `vX.Y.Z` tag that
 * does not match it, so bump it (and rebuild dist/) in the commit you tag.
 */
export const BERTH_ACTIONS_VERSION = '1.0.0';
