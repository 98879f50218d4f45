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

/** `--search-attribute` values for `temporal server start-dev` (and `temporal operator search-attribute create`). */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: string[] = Object.values(DeliverySearchAttributes).map(
  (key) => `${key.name}=${key.type === SearchAttributeType.INT ? 'Int' : 'Keyword'}`,
);
