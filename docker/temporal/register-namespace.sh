#!/bin/sh
# The namespace and SDO's search attributes, as tools/cluster/cluster.ts registerNamespace does.
# SEARCH_ATTRIBUTES is @sdo/contracts' SEARCH_ATTRIBUTE_REGISTRATIONS (test/cluster/temporal-config.spec.ts checks it).
set -eu
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
SEARCH_ATTRIBUTES="SdoServiceType=Keyword SdoCustomerId=Keyword SdoPhase=Keyword SdoStep=Keyword SdoAwaiting=Keyword SdoProgress=Int SdoAssignee=Keyword SdoOverdue=Bool"
temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$NAMESPACE" --retention 72h
until temporal workflow list --namespace "$NAMESPACE" --limit 1 >/dev/null 2>&1; do sleep 1; done
existing=$(temporal operator search-attribute list --namespace "$NAMESPACE")
for sa in $SEARCH_ATTRIBUTES; do
  name=${sa%%=*}; type=${sa##*=}
  echo "$existing" | grep -qw "$name" || temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "$type"
done
