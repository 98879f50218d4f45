export { createOrgSplitActivities, type OrgSplitDeps } from './org-split.activities';
