import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes, so engineers can filter deliveries in the Temporal UI. */
export const DeliverySearchAttributes = {
  serviceType: defineSearchAttributeKey('SdoServiceType', SearchAttributeType.KEYWORD),
  customerId: defineSearchAttributeKey('SdoCustomerId', SearchAttributeType.KEYWORD),
  phase: defineSearchAttributeKey('SdoPhase', SearchAttributeType.KEYWORD),
  step: defineSearchAttributeKey('SdoStep', SearchAttributeType.KEYWORD),
  awaiting: defineSearchAttributeKey('SdoAwaiting', SearchAttributeType.KEYWORD),
  progress: defineSearchAttributeKey('SdoProgress', SearchAttributeType.INT),
} as const;

/** Catalog flows: the product is `SdoServiceType`, the step `SdoStep`; who works the open task and whether any is overdue. */
export const CatalogTaskSearchAttributes = {
  assignee: defineSearchAttributeKey('SdoAssignee', SearchAttributeType.KEYWORD),
  overdue: defineSearchAttributeKey('SdoOverdue', SearchAttributeType.BOOL),
} as const;

/** `--search-attribute` values for `temporal server start-dev` (and `temporal operator search-attribute create`). */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: string[] = [...Object.values(DeliverySearchAttributes), ...Object.values(CatalogTaskSearchAttributes)].map(
  (key) => `${key.name}=${key.type === SearchAttributeType.INT ? 'Int' : key.type === SearchAttributeType.BOOL ? 'Bool' : 'Keyword'}`,
);
