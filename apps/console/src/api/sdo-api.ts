// Generated from /docs-json by apps/console/scripts/generate-api-types.mjs (openapi-typescript). Do not edit.
export interface paths {
    "/codec/decode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Open sealed Temporal payloads (plaintext ones come back as they are) */
        post: operations["CodecController_decode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/codec/encode": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Seal Temporal payloads with the current payload key */
        post: operations["CodecController_encode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the app database (PostgreSQL) and Temporal answer; 503 when one does not */
        get: operations["HealthController_check"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/catalog/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The special services SDO knows, their delivery flows, environment roles and whether they are automated */
        get: operations["CatalogController_list_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/catalog/services/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One catalog service */
        get: operations["CatalogController_get_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List deliveries from the app database, newest first */
        get: operations["DeliveriesController_list_v1"];
        put?: never;
        /** Start a delivery: validates the request, claims the Idempotency-Key and starts its workflow */
        post: operations["DeliveriesController_start_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a delivery: the app database's record plus the workflow's live status */
        get: operations["DeliveriesController_get_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/acceptance-confirmation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm acceptance (验收确认); the delivery completes */
        post: operations["DeliveriesController_confirmAcceptance_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/acceptance-rejection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject acceptance with the reason; the delivery goes back to plan, test or cutover */
        post: operations["DeliveriesController_rejectAcceptance_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit trail of a delivery: every action, who took it and when */
        get: operations["DeliveriesController_audit_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/cancellation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a running delivery: records why, then cancels its workflow, which undoes what applies */
        post: operations["DeliveriesController_cancel_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/cases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The delivery's support subscription: its period, renewals and every case with its state and escalations */
        get: operations["ObligationsController_subscription_v1"];
        put?: never;
        /** Open a support case: it runs with the subscription’s response and resolution SLAs and is escalated when one is missed */
        post: operations["ObligationsController_openCase_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/cases/{caseNo}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One case: state, SLA deadlines, escalations, history */
        get: operations["ObligationsController_supportCase_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/cases/{caseNo}/confirmation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record the customer’s confirmation of a resolved case; the case closes */
        post: operations["ObligationsController_confirm_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/cases/{caseNo}/resolution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record the resolution of a case that was responded to */
        post: operations["ObligationsController_resolve_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/cases/{caseNo}/response": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record the first response to an opened case */
        post: operations["ObligationsController_respond_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/child-services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The automated services the delivery’s steps run as child deliveries (信创: a database conversion), with their phase and progress; steer them by their own delivery ID */
        get: operations["ObligationsController_childServices_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/contract-signature": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record the signed service contract (服务签约); the delivery moves on to planning */
        post: operations["DeliveriesController_signContract_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/cutover-window": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Move the maintenance window cutover waits for */
        put: operations["DeliveriesController_moveCutoverWindow_v1"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Follow a delivery: server-sent events (`event: delivery`, data as GET /v1/deliveries/{id}) each time it changes, until it ends */
        get: operations["DeliveryEventsController_follow_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/obligation-tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Tasks of the delivery’s long-running obligation: monthly SLA assessments, O&M, security items, training sessions, milestones */
        get: operations["ObligationsController_tasks_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/obligation-tasks/{taskId}/completion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Complete an open task (an SLA assessment needs a score 0–100 and remarks; a training session its attendance) */
        post: operations["ObligationsController_complete_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/parameters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Amend the parameters (and environments) of a delivery blocked at assessment or awaiting plan approval: validated as at start, audited; the delivery is assessed again and drafts a new plan revision */
        put: operations["DeliveriesController_amendParameters_v1"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/person-days": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The person-day ledger of an on-site package or service: entries, used, balance, whether it closed */
        get: operations["PersonDaysController_ledger_v1"];
        put?: never;
        /** Log a visit: date, consultant, level, days (half-day steps), what was done. Overdrawing the package is a 409 and records nothing */
        post: operations["PersonDaysController_record_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/plan-approval": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve the proposed plan revision
         * @description A revision with `confirmationRequired` (exclusions drop foreign keys, indexes, views or triggers that depend on what is excluded) is approved only with `confirmDependents: true`; without it the answer is 409 (`details.type` DependentsNotConfirmed) naming what is lost, and the delivery keeps waiting.
         */
        post: operations["DeliveriesController_approvePlan_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/plan-rejection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject the proposed plan revision with what must change; a revised plan follows */
        post: operations["DeliveriesController_rejectPlan_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a delivery's reports (without their bodies) */
        get: operations["DeliveriesController_reports_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/reports/{reportId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one report: JSON, or with ?format=markdown a rendering for the customer */
        get: operations["DeliveriesController_report_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}/subscription-renewal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Renew the support subscription to a later end date */
        post: operations["ObligationsController_renew_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List environments, newest first */
        get: operations["EnvironmentsController_list_v1"];
        put?: never;
        /** Register a customer's database (the password is stored encrypted and never returned) */
        post: operations["EnvironmentsController_register_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/environments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one environment */
        get: operations["EnvironmentsController_get_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/environments/{id}/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check an environment before any delivery: connects (to the address the environment policy checked, a few seconds at most) and says whether it is reachable, which engine and version it runs and which rights the account lacks. An unreachable server is a 200 with reachable: false and the reason. */
        post: operations["EnvironmentsController_check_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gate-contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List gate contacts */
        get: operations["GateContactsController_list_v1"];
        put?: never;
        /** Someone a customer's gates wait for: mailed on their reminders and escalations (when SMTP is configured) */
        post: operations["GateContactsController_add_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gate-contacts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a gate contact; mails not yet sent to it are dropped, with their attempts */
        delete: operations["GateContactsController_remove_v1"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/gate-contacts/{id}/mails": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Attempts at mailing this contact, newest first: event, gate, attempt, sent or failed and why, time (the address masked) */
        get: operations["GateContactsController_mails_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The identity the bearer token proves, its role and customer */
        get: operations["SessionController_whoAmI_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Everything a person must do: the catalog flows' tasks and their obligations' tasks (SLA assessments, O&M, security items, sessions, milestones); filter by assignee, role, customer, product, delivery, state, overdue, source */
        get: operations["TasksController_list_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One task */
        get: operations["TasksController_get_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Complete an open task (every checklist item ticked; gates need signedBy, and reference where the step says so). An obligation's task (source obligation) is completed in its obligation: an SLA assessment needs score and comment, a training session its attendance; the answer is then the task */
        post: operations["TasksController_complete_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/evidence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A task's evidence: notes, links and files (without their content) */
        get: operations["TasksController_evidence_v1"];
        put?: never;
        /** Attach a note or a link to a task */
        post: operations["TasksController_addNote_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/evidence/{evidenceId}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download an evidence file */
        get: operations["TasksController_evidenceFile_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/evidence/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload a file as evidence: the body is the file, Content-Type its type; at most 5242880 bytes */
        post: operations["TasksController_addFile_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{id}/reopen": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reopen a done task; a task of an earlier step takes the flow back to that step */
        post: operations["TasksController_reopen_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/upgrade-packages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List upgrade packages, newest first (scripts without their SQL)
         * @description Upgrade packages are global: they are a product's versioned upgrade scripts, not any customer's data, and hold no customer's details. Every identity, customer-confined ones included, reads every package; only admins register them. Whose database a package is applied to is decided by the delivery, which stays confined.
         */
        get: operations["UpgradePackagesController_list_v1"];
        put?: never;
        /** Register an upgrade package: versioned SQL scripts (checksummed by the server) and verification queries */
        post: operations["UpgradePackagesController_register_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/upgrade-packages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read one upgrade package with its scripts and checksums
         * @description Upgrade packages are global: they are a product's versioned upgrade scripts, not any customer's data, and hold no customer's details. Every identity, customer-confined ones included, reads every package; only admins register them. Whose database a package is applied to is decided by the delivery, which stays confined.
         */
        get: operations["UpgradePackagesController_get_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook subscriptions (never their secrets) */
        get: operations["WebhooksController_list_v1"];
        put?: never;
        /** Subscribe a customer's webhook to delivery events (signed; the secret is shown once, in this answer) */
        post: operations["WebhooksController_subscribe_v1"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one webhook subscription */
        get: operations["WebhooksController_get_v1"];
        put?: never;
        post?: never;
        /** Delete a webhook subscription; events not yet delivered to it are dropped */
        delete: operations["WebhooksController_remove_v1"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Attempts at calling this webhook, newest first: event, attempt, status code, time */
        get: operations["WebhooksController_attempts_v1"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AcceptanceConfirmationDto: {
            /** @description The customer's remark on acceptance */
            comment?: string;
        };
        AcceptanceRejectionDto: {
            /** @description Why the delivery is not accepted */
            reason: string;
            /**
             * @description Phase the delivery goes back to (default: test, a new rehearsal)
             * @enum {string}
             */
            reopen?: "plan" | "test" | "cutover";
        };
        AttendanceDto: {
            /**
             * @description Who was expected at the session
             * @example Li Wei
             */
            attendee: string;
            /** @description Whether they attended */
            present: boolean;
        };
        AuditEntryDto: {
            /** @description What happened, e.g. plan.approved */
            action: string;
            /** @description Who acted (API identity, or "workflow") */
            actor: string;
            /**
             * Format: date-time
             * @description When
             */
            at: string;
            /** @description Details of the action */
            detail: {
                [key: string]: unknown;
            };
            /** @description Sequence number */
            id: string;
        };
        CancellationAcceptedDto: {
            /**
             * Format: uuid
             * @description Delivery ID
             */
            deliveryId: string;
            /** @description What happens next */
            message: string;
            /** @description Recorded reason */
            reason: string;
        };
        CancellationDto: {
            /** @description Why the delivery is cancelled (recorded in the delivery and the audit trail) */
            reason: string;
        };
        CarryoverParametersDto: {
            /** @description Rows deleted per purge transaction (default 5000) */
            batchSize?: number;
            /**
             * @description First period (YYYY-MM) that stays live; documents dated before it are archived and purged
             * @example 2024-01
             */
            cutoffPeriod: string;
            /** @description The general ledger whose balances are carried forward */
            ledger?: components["schemas"]["LedgerDeclarationDto"];
            /** @description PostgreSQL schema of the live data (default `public`) */
            schema?: string;
            /** @description Document tables and their date columns */
            tables: components["schemas"]["DatedTableDto"][];
        };
        CaseAnswerDto: {
            /**
             * @description What was done or said (response, resolution, or the customer’s confirmation)
             * @example Patched the approval plug-in
             */
            note: string;
        };
        CaseOpeningDto: {
            /** @description Details, steps to reproduce */
            description?: string;
            /**
             * @description What the customer reports
             * @example Voucher import fails after the customised approval step
             */
            title: string;
        };
        CaseSlaDto: {
            /**
             * @description Hours until the resolution is due (not less than respondWithinHours)
             * @example 40
             */
            resolveWithinHours: number;
            /**
             * @description Hours until the first response is due
             * @example 4
             */
            respondWithinHours: number;
        };
        CatalogFlowParametersDto: {
            /** @description Assignee per task role */
            assignees?: components["schemas"]["TaskAssigneesDto"];
            /** @description What the contract agrees, in a few words */
            scope?: string;
            /**
             * @description The contract's own SLA: days until a step's tasks are due, by step code (the catalog's defaults otherwise)
             * @example {
             *       "design": 5
             *     }
             */
            slaDays?: {
                [key: string]: number;
            };
        };
        CatalogServiceDto: {
            /** @description Whether SDO runs it as its own automated workflow (otherwise a catalog flow of human tasks) */
            automated: boolean;
            /** @description Catalog section */
            category: components["schemas"]["LocalisedNameDto"];
            /**
             * @description Service code (serviceType)
             * @enum {string}
             */
            code: "upgrade" | "data-migration" | "database-conversion" | "org-split" | "data-carryover" | "custom-dev-maintenance" | "maintenance-development" | "private-deployment-ops" | "environment-deployment" | "system-migration" | "performance-optimization" | "xinchuang" | "security-protection" | "cloud-audit" | "data-adjustment-cleanup" | "chart-of-accounts-restructuring" | "training" | "business-diagnosis" | "application-enhancement" | "onsite-package" | "onsite-service" | "resident-service" | "paas-lab" | "legacy-version-ops";
            /** @description Whether a signed contract (服务签约) gates planning */
            contractGate: boolean;
            /** @description Delivery flow (交付流程) and the phase of each step */
            deliveryFlow: components["schemas"]["FlowStepDto"][];
            /** @description How it may be delivered */
            deliveryModes: ("on-site" | "remote" | "online" | "resident")[];
            /** @description Environments a delivery needs */
            environmentRoles: components["schemas"]["EnvironmentRoleDto"][];
            /** @description Service name */
            name: components["schemas"]["LocalisedNameDto"];
            /** @description What the product promises beyond its flow */
            obligations: components["schemas"]["ObligationDto"][];
            /** @description Name of the parameters schema a start request takes (see /docs) */
            parametersSchema: string;
            /** @description What the service does */
            summary: string;
        };
        ChecklistItemDto: {
            /** @description Whether it was ticked */
            done: boolean;
            /** @description What must be done */
            item: string;
        };
        ChildConversionRequestDto: {
            /** @description Environment ID per role of the database conversion: { "source": "<uuid>", "target": "<uuid>" } */
            environments: {
                [key: string]: string;
            };
            /** @description Parameters of the database conversion (its own schema) */
            parameters: {
                [key: string]: unknown;
            };
        };
        ChildServiceParametersDto: {
            /** @description Assignee per task role */
            assignees?: components["schemas"]["TaskAssigneesDto"];
            /** @description The database conversion the delivery step runs as a child delivery; without it the step is a task people do */
            conversion?: components["schemas"]["ChildConversionRequestDto"];
            /** @description What the contract agrees, in a few words */
            scope?: string;
            /**
             * @description The contract's own SLA: days until a step's tasks are due, by step code (the catalog's defaults otherwise)
             * @example {
             *       "design": 5
             *     }
             */
            slaDays?: {
                [key: string]: number;
            };
        };
        CodecPayloadDto: {
            /** @description The payload bytes, base64 */
            data?: string;
            /**
             * @description Metadata entries, each value base64
             * @example {
             *       "encoding": "YmluYXJ5L2VuY3J5cHRlZA=="
             *     }
             */
            metadata: {
                [key: string]: string;
            };
        };
        CodecPayloadsDto: {
            /** @description The payloads to open or seal, in order */
            payloads: components["schemas"]["CodecPayloadDto"][];
        };
        ConcurrentHeavyWorkDto: {
            /** @description With mode shared: how many deliveries at most run heavy work on one environment at once, this one included (default 2) */
            maxHolders?: number;
            /**
             * @description exclusive (default): no other delivery runs heavy work (copies, verifications, backups) on these environments meanwhile; shared: deliveries that also share may, up to maxHolders at once
             * @enum {string}
             */
            mode: "exclusive" | "shared";
        };
        ContractSignatureDto: {
            /**
             * @description Reference of the signed service contract
             * @example CT-2026-118
             */
            contractRef: string;
        };
        CreatedWebhookDto: {
            /**
             * Format: date-time
             * @description When it was subscribed
             */
            createdAt: string;
            /** @description Who subscribed */
            createdBy: string;
            /** @description The customer whose deliveries' events are sent */
            customerId: string;
            /** @description Which events are sent */
            eventTypes: ("gate.waiting" | "gate.reminder" | "gate.escalation" | "phase.changed" | "delivery.failed" | "delivery.completed" | "delivery.cancelled")[];
            /**
             * Format: uuid
             * @description Subscription ID
             */
            id: string;
            /** @description The signing secret: shown here once, never again */
            secret: string;
            /** @description Where events are POSTed */
            url: string;
        };
        CreateGateContactDto: {
            /**
             * @description The customer whose gates wait for this person
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description Where reminders and escalations are mailed
             * @example pm@customer.example
             */
            email: string;
            /** @description The gates that wait for this person */
            gates: ("assessmentBlocked" | "contractSignature" | "planApproval" | "cutoverWindow" | "acceptance")[];
        };
        CreateWebhookDto: {
            /**
             * @description The customer whose deliveries' events are sent
             * @example CUST-0042
             */
            customerId: string;
            /** @description Which events to send */
            eventTypes: ("gate.waiting" | "gate.reminder" | "gate.escalation" | "phase.changed" | "delivery.failed" | "delivery.completed" | "delivery.cancelled")[];
            /**
             * Format: password
             * @description Signing secret (24–128 printable ASCII characters); generated when absent. Shown once, in the answer to this request.
             */
            secret?: string;
            /**
             * @description Where events are POSTed: https (plain http only where SDO_WEBHOOK_ALLOW_HTTP), no internal address unless allow-listed
             * @example https://hooks.customer.example/sdo
             */
            url: string;
        };
        CutoverWindowChangeDto: {
            /** @description New length in minutes (unchanged when absent) */
            durationMinutes?: number;
            /**
             * @description New opening of the maintenance window: ISO-8601 with an offset
             * @example 2026-12-12T22:00:00+08:00
             */
            startsAt: string;
        };
        CutoverWindowDto: {
            /**
             * @description How long the window lasts, in minutes
             * @example 240
             */
            durationMinutes: number;
            /**
             * @description When the maintenance window opens: ISO-8601 with an offset
             * @example 2026-12-05T22:00:00+08:00
             */
            startsAt: string;
        };
        DatabaseConversionParametersDto: {
            /** @description Rows per copy chunk (one transaction and checkpoint each); default the engine default */
            chunkRows?: number;
            /**
             * @description Target type per `table.column`, for the conversions CASTING.md documents: a MySQL spatial column → point, path, polygon, text (WKT). Default: POINT → point, other spatial types → text (WKT).
             * @example {
             *       "store.area": "polygon"
             *     }
             */
            columnTypes?: {
                [key: string]: "point" | "path" | "polygon" | "text";
            };
            /** @description Source tables to leave out */
            exclude?: string[];
            /**
             * @description Source columns to leave out, as `table.column`; checked against the source at assessment. Keys, indexes and foreign keys using them are listed in the plan and not created.
             * @example [
             *       "customer.legacy_blob"
             *     ]
             */
            excludeColumns?: string[];
            /**
             * @description Target naming of tables and columns: `snake` (default, InvoiceLine → invoice_line), `lower`, or `preserve` (quoted as in the source)
             * @enum {string}
             */
            naming?: "preserve" | "lower" | "snake";
            /** @description Copy and verify activities running at the same time (default 2, largest tables first); 1 runs them one by one. Small tables share an activity. */
            parallelTables?: number;
            /**
             * @description Target column name per `table.column` (instead of the naming style)
             * @example {
             *       "customer.fname": "first_name"
             *     }
             */
            rename?: {
                [key: string]: string;
            };
            /** @description Only these source tables (default: all); checked against the source at assessment */
            tables?: string[];
            /**
             * @description PostgreSQL schema the converted tables are created in (default `public`); it must not hold them yet
             * @example erp
             */
            targetSchema?: string;
            /** @description Copy throughput measured for this customer (rows/s), used for the estimate; default the data-engine bench figure */
            throughputRowsPerSecond?: number;
        };
        DataMigrationParametersDto: {
            /** @description Source rows per load chunk (one transaction and checkpoint each) */
            chunkRows?: number;
            /** @description Mappings, run in order (a look-up may use tables loaded by earlier ones) */
            mappings: components["schemas"]["MigrationMappingDto"][];
            /** @description Rejected rows a rehearsal and a cutover may have (default 0) */
            maxRejectedRows?: number;
            /** @description Longest one read of the source may run, in seconds (default 300); a query source that takes longer fails the delivery instead of retrying */
            sourceStatementTimeoutSeconds?: number;
            /** @description PostgreSQL schema of the new product in the target (default `public`) */
            targetSchema?: string;
        };
        DatedTableDto: {
            /**
             * @description Date or timestamp column deciding whether a document is historical
             * @example order_date
             */
            dateColumn: string;
            /**
             * @description Document (header) table; its lines move with it, found through their foreign keys
             * @example sales_orders
             */
            table: string;
        };
        DecisionPendingDto: {
            /** @description The decision, as GET /v1/deliveries/{id} shows it under pendingDecisions until the delivery takes or refuses it */
            decision: components["schemas"]["PendingDecisionDto"];
            /** @description What happens next */
            message: string;
        };
        DeliveryDetailDto: {
            /**
             * @description Gate the delivery waits at. assessmentBlocked: the assessment found what only a person can fix (lastFailure says what; the assessment report, when written, is listed): amend the parameters (PUT /v1/deliveries/{id}/parameters) or cancel.
             * @enum {string|null}
             */
            awaiting: "assessmentBlocked" | "contractSignature" | "planApproval" | "cutoverWindow" | "acceptance" | null;
            /** @description Why it was cancelled, once cancellation was requested */
            cancelReason: string | null;
            /** @description Signed contract reference, when given at start */
            contractRef: string | null;
            /**
             * Format: date-time
             * @description When it was started
             */
            createdAt: string;
            /** @description Who started it */
            createdBy: string;
            /** @description The customer's ID */
            customerId: string;
            /**
             * @description The customer's time zone (IANA), when given at start
             * @example Asia/Shanghai
             */
            customerTimeZone: string | null;
            /** @description Maintenance window requested at start (the live status has the current one); null for catalog flows */
            cutoverWindow: components["schemas"]["CutoverWindowDto"] | null;
            /** @description Environment ID per role */
            environments: {
                [key: string]: string;
            };
            /**
             * Format: uuid
             * @description Delivery ID
             */
            id: string;
            /** @description Last failure, if any */
            lastFailure: components["schemas"]["FailureNoteDto"] | null;
            /** @description The workflow's live status; null when it cannot answer right now (see liveUnavailable) */
            live: components["schemas"]["DeliveryStatusDto"] | null;
            /**
             * Format: date-time
             * @description Set when the workflow did not answer this read in time and `live` is its earlier answer, given at this time; nothing the workflow records (phase, step, gate) has changed since
             */
            liveAsOf?: string;
            /** @description Why the live status is missing */
            liveUnavailable?: string;
            /** @description Sales order number */
            orderNo: string;
            /** @description Service parameters */
            parameters: {
                [key: string]: unknown;
            };
            /** @description Decisions sent while no worker ran, not yet taken or refused by the delivery (each is audited once it is) */
            pendingDecisions: components["schemas"]["PendingDecisionDto"][];
            /**
             * @description Lifecycle phase
             * @enum {string}
             */
            phase: "assessment" | "contract" | "plan" | "test" | "cutover" | "acceptance" | "delivering" | "completed" | "cancelled" | "failed";
            /** @description Progress, 0–100 */
            progress: number;
            /**
             * @description The service's name as customers know it
             * @example 升级服务 (Upgrade)
             */
            serviceName: string;
            /**
             * @description Catalog service code
             * @enum {string}
             */
            serviceType: "upgrade" | "data-migration" | "database-conversion" | "org-split" | "data-carryover" | "custom-dev-maintenance" | "maintenance-development" | "private-deployment-ops" | "environment-deployment" | "system-migration" | "performance-optimization" | "xinchuang" | "security-protection" | "cloud-audit" | "data-adjustment-cleanup" | "chart-of-accounts-restructuring" | "training" | "business-diagnosis" | "application-enhancement" | "onsite-package" | "onsite-service" | "resident-service" | "paas-lab" | "legacy-version-ops";
            /** @description Current step within the phase */
            step: string;
            /**
             * Format: date-time
             * @description When the app database last heard of it
             */
            updatedAt: string;
            /**
             * @description Temporal workflow ID: `<serviceType>:<customerId>:<orderNo>` (`<serviceType>:<orderNo>` for deliveries started before order numbers were per customer)
             * @example upgrade:CUST-0042:SO-2026-0042
             */
            workflowId: string;
        };
        DeliveryEventDto: {
            /**
             * Format: date-time
             * @description When
             */
            at: string;
            /** @description What happened */
            note: string;
            /**
             * @description Phase at the time
             * @enum {string}
             */
            phase: "assessment" | "contract" | "plan" | "test" | "cutover" | "acceptance" | "delivering" | "completed" | "cancelled" | "failed";
        };
        DeliveryPageDto: {
            /** @description Deliveries of this page, newest first */
            items: components["schemas"]["DeliveryViewDto"][];
            /** @description Page size used */
            limit: number;
            /** @description Items skipped */
            offset: number;
            /** @description How many deliveries match in all */
            total: number;
        };
        DeliveryStatusDto: {
            /**
             * @description Gate the delivery waits at. assessmentBlocked: the assessment found what only a person can fix (lastFailure says what; the assessment report, when written, is listed): amend the parameters (PUT /v1/deliveries/{id}/parameters) or cancel.
             * @enum {string}
             */
            awaiting?: "assessmentBlocked" | "contractSignature" | "planApproval" | "cutoverWindow" | "acceptance";
            /** @description Signed contract reference */
            contractRef?: string;
            /** @description Current maintenance window (automated services) */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * Format: uuid
             * @description Delivery ID
             */
            deliveryId: string;
            /** @description Whether the current gate was escalated */
            escalated: boolean;
            /** @description What happened, in order */
            events: components["schemas"]["DeliveryEventDto"][];
            /** @description Catalog flows: current step, every task (role, assignee, due date, checklist), the person-day ledger and obligations */
            flow?: {
                [key: string]: unknown;
            };
            /** @description Last failure */
            lastFailure?: components["schemas"]["FailureNoteDto"];
            /**
             * @description Lifecycle phase
             * @enum {string}
             */
            phase: "assessment" | "contract" | "plan" | "test" | "cutover" | "acceptance" | "delivering" | "completed" | "cancelled" | "failed";
            /** @description Every plan revision and its decision */
            plans: components["schemas"]["PlanVersionDto"][];
            /** @description Progress, 0–100 */
            progress: number;
            /** @description Reminders sent for the current gate */
            reminders: number;
            /** @description Reports written so far */
            reports: components["schemas"]["ReportRefDto"][];
            /**
             * @description Catalog service code
             * @enum {string}
             */
            serviceType: "upgrade" | "data-migration" | "database-conversion" | "org-split" | "data-carryover" | "custom-dev-maintenance" | "maintenance-development" | "private-deployment-ops" | "environment-deployment" | "system-migration" | "performance-optimization" | "xinchuang" | "security-protection" | "cloud-audit" | "data-adjustment-cleanup" | "chart-of-accounts-restructuring" | "training" | "business-diagnosis" | "application-enhancement" | "onsite-package" | "onsite-service" | "resident-service" | "paas-lab" | "legacy-version-ops";
            /** @description Current step */
            step: string;
        };
        DeliveryViewDto: {
            /**
             * @description Gate the delivery waits at. assessmentBlocked: the assessment found what only a person can fix (lastFailure says what; the assessment report, when written, is listed): amend the parameters (PUT /v1/deliveries/{id}/parameters) or cancel.
             * @enum {string|null}
             */
            awaiting: "assessmentBlocked" | "contractSignature" | "planApproval" | "cutoverWindow" | "acceptance" | null;
            /** @description Why it was cancelled, once cancellation was requested */
            cancelReason: string | null;
            /** @description Signed contract reference, when given at start */
            contractRef: string | null;
            /**
             * Format: date-time
             * @description When it was started
             */
            createdAt: string;
            /** @description Who started it */
            createdBy: string;
            /** @description The customer's ID */
            customerId: string;
            /**
             * @description The customer's time zone (IANA), when given at start
             * @example Asia/Shanghai
             */
            customerTimeZone: string | null;
            /** @description Maintenance window requested at start (the live status has the current one); null for catalog flows */
            cutoverWindow: components["schemas"]["CutoverWindowDto"] | null;
            /** @description Environment ID per role */
            environments: {
                [key: string]: string;
            };
            /**
             * Format: uuid
             * @description Delivery ID
             */
            id: string;
            /** @description Last failure, if any */
            lastFailure: components["schemas"]["FailureNoteDto"] | null;
            /** @description Sales order number */
            orderNo: string;
            /** @description Service parameters */
            parameters: {
                [key: string]: unknown;
            };
            /**
             * @description Lifecycle phase
             * @enum {string}
             */
            phase: "assessment" | "contract" | "plan" | "test" | "cutover" | "acceptance" | "delivering" | "completed" | "cancelled" | "failed";
            /** @description Progress, 0–100 */
            progress: number;
            /**
             * @description The service's name as customers know it
             * @example 升级服务 (Upgrade)
             */
            serviceName: string;
            /**
             * @description Catalog service code
             * @enum {string}
             */
            serviceType: "upgrade" | "data-migration" | "database-conversion" | "org-split" | "data-carryover" | "custom-dev-maintenance" | "maintenance-development" | "private-deployment-ops" | "environment-deployment" | "system-migration" | "performance-optimization" | "xinchuang" | "security-protection" | "cloud-audit" | "data-adjustment-cleanup" | "chart-of-accounts-restructuring" | "training" | "business-diagnosis" | "application-enhancement" | "onsite-package" | "onsite-service" | "resident-service" | "paas-lab" | "legacy-version-ops";
            /** @description Current step within the phase */
            step: string;
            /**
             * Format: date-time
             * @description When the app database last heard of it
             */
            updatedAt: string;
            /**
             * @description Temporal workflow ID: `<serviceType>:<customerId>:<orderNo>` (`<serviceType>:<orderNo>` for deliveries started before order numbers were per customer)
             * @example upgrade:CUST-0042:SO-2026-0042
             */
            workflowId: string;
        };
        EnvironmentCheckDto: {
            /**
             * @description Database engine
             * @enum {string}
             */
            engine: "postgres" | "mysql" | "sqlite";
            /**
             * @description Rights some service needs that the account lacks
             * @example [
             *       "CREATEDB",
             *       "SELECT on public.orders"
             *     ]
             */
            missing: string[];
            /** @description Why it is not reachable (refused, timed out, bad credentials, refused by the environment policy…) */
            problem?: string;
            /** @description Whether SDO could connect and log in */
            reachable: boolean;
            /** @description The account's rights, when reachable */
            rights?: components["schemas"]["EnvironmentRightsDto"];
            /**
             * @description The server's version, when reachable
             * @example PostgreSQL 17.2
             */
            version?: string;
        };
        EnvironmentPageDto: {
            /** @description The environments of this page */
            items: components["schemas"]["EnvironmentViewDto"][];
            /** @description Page size used */
            limit: number;
            /** @description Items skipped */
            offset: number;
            /** @description How many environments match in all */
            total: number;
        };
        EnvironmentRightsDto: {
            /** @description May create databases (rehearsal clones, scratch databases, cutover backups); null where SDO only reads (MySQL/MariaDB, SQLite) */
            createdb: boolean | null;
            /** @description Owns the database, or is superuser: needed to copy it as a template (rehearsal clone, cutover backup); null where SDO only reads */
            ownsDatabase: boolean | null;
            /** @description May SELECT every table of the database (what sources need) */
            selectAllTables: boolean;
            /** @description Is a superuser */
            superuser: boolean;
            /** @description Tables in the database */
            tables: number;
        };
        EnvironmentRoleDto: {
            /** @description What the environment is in this role */
            description: string;
            /** @description Engines supported in this role */
            engines: ("postgres" | "mysql" | "sqlite")[];
            /**
             * @description Role key used in `environments` of a start request
             * @enum {string}
             */
            role: "source" | "target";
        };
        EnvironmentViewDto: {
            /**
             * Format: date-time
             * @description When it was registered
             */
            createdAt: string;
            /** @description The customer's ID */
            customerId: string;
            /** @description Database name or sqlite file path (as registered) */
            database: string;
            /**
             * @description Database engine
             * @enum {string}
             */
            engine: "postgres" | "mysql" | "sqlite";
            /** @description Whether a password is stored (it is never returned) */
            hasPassword: boolean;
            /** @description Database host */
            host: string | null;
            /**
             * Format: uuid
             * @description Environment ID
             */
            id: string;
            /** @description Name, unique per customer */
            name: string;
            /** @description Database port (null: engine default) */
            port: number | null;
            /** @description Whether TLS is used */
            ssl: boolean;
            /** @description User SDO connects as */
            username: string | null;
        };
        EvidenceViewDto: {
            /** @description File type */
            contentType: string | null;
            /**
             * Format: date-time
             * @description When
             */
            createdAt: string;
            /** @description Who attached it */
            createdBy: string;
            /** @description File name */
            fileName: string | null;
            /**
             * Format: uuid
             * @description Evidence ID
             */
            id: string;
            /**
             * @description note, link or file
             * @enum {string}
             */
            kind: "note" | "link" | "file";
            /** @description The note */
            note: string | null;
            /** @description File size in bytes */
            size: number | null;
            /**
             * Format: uuid
             * @description Task it documents
             */
            taskId: string;
            /** @description The link */
            url: string | null;
        };
        FailureNoteDto: {
            /** @description What went wrong and what to do about it */
            message: string;
            /**
             * @description Phase the failure happened in
             * @enum {string}
             */
            phase: "assessment" | "contract" | "plan" | "test" | "cutover" | "acceptance" | "delivering" | "completed" | "cancelled" | "failed";
            /** @description Failure type (DeliveryFailureType) */
            type: string;
        };
        FlowStepDto: {
            /** @description Whether SDO does the step itself */
            automated: boolean;
            /** @description Catalog flows: what must be ticked to complete it */
            checklist?: string[];
            /** @description Step code, unique in the flow */
            code: string;
            /** @description Catalog flows: SLA, days from opening until due */
            dueDays?: number;
            /** @description English name */
            en: string;
            /**
             * @description task: people do it; gate: the customer signs off; automated: SDO does it
             * @enum {string}
             */
            kind: "task" | "gate" | "automated";
            /**
             * @description Lifecycle phase that carries the step out (catalog flows: delivering)
             * @enum {string}
             */
            phase: "assessment" | "contract" | "plan" | "test" | "cutover" | "acceptance" | "delivering" | "completed" | "cancelled" | "failed";
            /**
             * @description Catalog flows: who works the task
             * @enum {string}
             */
            role?: "delivery-manager" | "consultant" | "engineer" | "security-engineer" | "trainer" | "architect";
            /** @description Chinese name, as customers and delivery managers use it */
            zh: string;
        };
        GateContactDto: {
            /**
             * Format: date-time
             * @description When it was added
             */
            createdAt: string;
            /** @description Who added the contact */
            createdBy: string;
            /** @description The customer whose gates wait for this person */
            customerId: string;
            /** @description Where reminders and escalations are mailed */
            email: string;
            /** @description The gates that wait for this person */
            gates: ("assessmentBlocked" | "contractSignature" | "planApproval" | "cutoverWindow" | "acceptance")[];
            /**
             * Format: uuid
             * @description Contact ID
             */
            id: string;
        };
        GateContactListDto: {
            /** @description The contacts, newest first */
            items: components["schemas"]["GateContactDto"][];
        };
        GatePolicyDto: {
            /**
             * @description How long a gate may wait before it is escalated
             * @example 3 days
             */
            escalateAfter: string;
            /**
             * @description How often a waiting gate reminds the people it waits for
             * @example 1 day
             */
            reminderEvery: string;
        };
        LedgerDeclarationDto: {
            /**
             * @description Entry column holding the account
             * @example account_id
             */
            accountColumn: string;
            /**
             * @description Entry credit amount column
             * @example credit
             */
            creditColumn: string;
            /**
             * @description Entry debit amount column
             * @example debit
             */
            debitColumn: string;
            /**
             * @description Voucher entry table, a child of the voucher table
             * @example voucher_entries
             */
            entryTable: string;
            /**
             * @description Voucher columns balances are kept apart by (one opening voucher per value), e.g. the organisation
             * @example [
             *       "org_id"
             *     ]
             */
            partitionColumns?: string[];
            /**
             * @description Voucher header table (also listed in `tables`)
             * @example vouchers
             */
            voucherTable: string;
        };
        LocalisedNameDto: {
            /** @description English name */
            en: string;
            /** @description Chinese name, as customers and delivery managers use it */
            zh: string;
        };
        MailAttemptDto: {
            /**
             * Format: date-time
             * @description When it was made
             */
            at: string;
            /** @description Attempt number of this mail, from 1 */
            attempt: number;
            /**
             * Format: uuid
             * @description The gate contact mailed
             */
            contactId: string;
            /**
             * Format: uuid
             * @description The delivery whose gate waits
             */
            deliveryId: string | null;
            /** @description How long the attempt took */
            durationMs: number;
            /** @description Why it failed, as the SMTP server or connection said it (the address masked) */
            error: string | null;
            /** @description The event the mail is about (the ID webhooks carry as sdo-event-id) */
            eventId: string;
            /**
             * @description The event type: a gate reminder or escalation
             * @enum {string}
             */
            eventType: "gate.waiting" | "gate.reminder" | "gate.escalation" | "phase.changed" | "delivery.failed" | "delivery.completed" | "delivery.cancelled";
            /**
             * @description The gate that waits
             * @enum {string|null}
             */
            gate: "assessmentBlocked" | "contractSignature" | "planApproval" | "cutoverWindow" | "acceptance" | null;
            /**
             * Format: uuid
             * @description The outbox row (one per event and contact)
             */
            notificationId: string;
            /**
             * @description The contact's address, masked
             * @example s•••y@customer.example
             */
            recipient: string;
            /**
             * @description sent: the SMTP server took it; failed: it did not (retried with backoff)
             * @enum {string}
             */
            status: "sent" | "failed";
        };
        MailAttemptPageDto: {
            /** @description The attempts of this page, newest first */
            items: components["schemas"]["MailAttemptDto"][];
            /** @description Page size used */
            limit: number;
            /** @description Items skipped */
            offset: number;
            /** @description How many attempts there are in all */
            total: number;
        };
        MigrationColumnRuleDto: {
            /** @description Value used when the expression gives null, or when there is no expression */
            default?: (string | null) | number | boolean;
            /**
             * @description Expression over source columns: a column, a literal ('text', 42, null) or concat/upper/lower/trim/coalesce/substr/nullif(...); parsed, never pasted into SQL
             * @example concat(FirstName, ' ', LastName)
             */
            expr?: string;
            /** @description Replaces the value by a column of a row already loaded into the target (e.g. a new surrogate key) */
            lookup?: components["schemas"]["MigrationLookupDto"];
            /** @description Target column */
            target: string;
            /** @description Replaces the value through a table of old → new values */
            valueMap?: components["schemas"]["MigrationValueMapDto"];
        };
        MigrationFilterDto: {
            /** @description Source column the condition tests */
            column: string;
            /**
             * @description Comparison
             * @enum {string}
             */
            op: "=" | "<>" | ">" | ">=" | "<" | "<=" | "in" | "not in" | "is null" | "is not null";
            /** @description Value compared with (a list for in / not in); compared as numbers when both sides are numeric */
            value?: string | number | boolean | (string | number)[];
        };
        MigrationLookupDto: {
            /** @description Column of that table matched with the value */
            match: string;
            /** @description When true a missing match gives null instead of rejecting the row */
            optional?: boolean;
            /** @description Column of that table whose value is used */
            returns: string;
            /** @description Target table loaded by an earlier mapping */
            table: string;
        };
        MigrationMappingDto: {
            /** @description One rule per target column filled */
            columns: components["schemas"]["MigrationColumnRuleDto"][];
            /** @description Name of the mapping in reports and errors */
            name: string;
            /** @description Where the rows come from: a table or a query */
            source: components["schemas"]["MigrationSourceDto"];
            /** @description Target table in targetSchema (must exist and be empty at cutover) */
            target: string;
        };
        MigrationSourceDto: {
            /** @description Conditions every selected row meets (AND); rows that do not are counted as filtered out */
            filter?: components["schemas"]["MigrationFilterDto"][];
            /** @description Result columns of `query` that are unique and never null: they order and checkpoint the load (required with query) */
            key?: string[];
            /**
             * @description Instead of a table: one SELECT (or WITH … SELECT) over the old product, read in chunks as a derived table, each read in a READ ONLY transaction with a statement timeout. No ";", no $ or backslash, parentheses balanced. Parsed at start by PostgreSQL's parser whatever the source engine (MySQL backtick names are read): no INTO, FOR UPDATE/SHARE or data-modifying WITH, and only side-effect-free built-in functions (text, number, date/time, conditional, aggregate, window, JSON reading, casts); checked against the source at assessment.
             * @example SELECT t.TrackId, t.Name, g.Name AS Genre FROM Track t LEFT JOIN Genre g ON g.GenreId = t.GenreId
             */
            query?: string;
            /** @description Source table (as the old product spells it); it needs a primary or NOT NULL unique key. Give `table` or `query`. */
            table?: string;
        };
        MigrationValueMapDto: {
            /** @description Old value → new value (null allowed) */
            map: {
                [key: string]: string | null;
            };
            /** @description Value for an old value missing from the map; without it such a row is rejected with the reason */
            otherwise?: string | null;
        };
        NoteEvidenceDto: {
            /** @description A note (what was done, what was found) */
            note?: string;
            /**
             * @description A link (http or https) to a document kept elsewhere
             * @example https://wiki.example.com/acme/visit-3
             */
            url?: string;
        };
        ObligationDto: {
            /** @description What the product promises beyond its flow, e.g. person-day-ledger, monthly-sla-assessment, support-cases */
            kind: string;
            /** @description Settings of the obligation */
            settings?: {
                [key: string]: unknown;
            };
            /** @description Step it belongs to */
            step?: string;
        };
        ObligationTaskCompletionDto: {
            /** @description Training sessions: who attended */
            attendance?: components["schemas"]["AttendanceDto"][];
            /**
             * @description Remarks; required for an SLA assessment
             * @example Responsive, month-end close on time
             */
            remarks?: string;
            /** @description SLA assessments only: 0–100 */
            score?: number;
        };
        OnsitePackageParametersDto: {
            /** @description Assignee per task role */
            assignees?: components["schemas"]["TaskAssigneesDto"];
            /**
             * @description Person-days the package holds
             * @example 12
             * @enum {number}
             */
            personDays: 12 | 24;
            /** @description What the contract agrees, in a few words */
            scope?: string;
            /**
             * @description The contract's own SLA: days until a step's tasks are due, by step code (the catalog's defaults otherwise)
             * @example {
             *       "design": 5
             *     }
             */
            slaDays?: {
                [key: string]: number;
            };
            /**
             * @description Last day the package may be used; it closes at the end of that day (UTC)
             * @example 2027-06-30
             */
            validUntil: string;
        };
        OnsiteServiceParametersDto: {
            /** @description Assignee per task role */
            assignees?: components["schemas"]["TaskAssigneesDto"];
            /**
             * @description Consultant level agreed
             * @enum {string}
             */
            level: "junior" | "intermediate" | "senior-and-above";
            /**
             * @description Agreed person-days (at least 1, half-day steps)
             * @example 3
             */
            personDays: number;
            /** @description What the contract agrees, in a few words */
            scope?: string;
            /**
             * @description The contract's own SLA: days until a step's tasks are due, by step code (the catalog's defaults otherwise)
             * @example {
             *       "design": 5
             *     }
             */
            slaDays?: {
                [key: string]: number;
            };
            /**
             * @description Last day the person-days may be used
             * @example 2027-06-30
             */
            validUntil?: string;
        };
        OrganisationColumnDto: {
            /**
             * @description Its column holding the organisation key
             * @example org_id
             */
            column: string;
            /**
             * @description Table of the source schema
             * @example sales_orders
             */
            table: string;
        };
        OrgSplitParametersDto: {
            /** @description Organisation column per table, where it cannot be discovered through the one foreign key to the organisation table */
            organisationColumns?: components["schemas"]["OrganisationColumnDto"][];
            /**
             * @description Key values of the organisation(s) to split out, as text; checked against the organisation table at assessment
             * @example [
             *       "2"
             *     ]
             */
            organisations: string[];
            /**
             * @description The organisation master table; its single-column primary key identifies an organisation
             * @example organisations
             */
            organisationTable: string;
            /**
             * @description At cutover, once the new database is verified: back up the source database, then delete the organisation’s own rows from it (rows of its organisation column and their document lines, children first, in batches; shared master data is kept), and verify the source. A failure restores the source from the backup; the backup is dropped after acceptance. Default false: the source is only read.
             * @default false
             * @example false
             */
            removeFromSource: boolean;
            /**
             * @description PostgreSQL schema of the account set (default `public`); the target receives a schema of the same name
             * @example public
             */
            schema?: string;
        };
        ParameterAmendmentDto: {
            /** @description Why the parameters change (recorded with the decision) */
            comment?: string;
            /**
             * @description Environments to use instead, per role (the roles not named keep theirs); checked as at start
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description The service's parameters in full, as at start (they replace the current ones) and validated the same way against the delivery's service; the delivery is assessed again with them (the delivery's service decides which schema applies) */
            parameters: components["schemas"]["UpgradeParametersDto"] | components["schemas"]["DataMigrationParametersDto"] | components["schemas"]["DatabaseConversionParametersDto"] | components["schemas"]["OrgSplitParametersDto"] | components["schemas"]["CarryoverParametersDto"];
        };
        PendingDecisionDto: {
            /** @description What it records once taken, e.g. plan.approved */
            action: string;
            /** @description What was asked (the decision as sent) */
            arg: {
                [key: string]: unknown;
            };
            /**
             * @description Gate the decision is for
             * @enum {string}
             */
            gate: "assessmentBlocked" | "contractSignature" | "planApproval" | "cutoverWindow" | "acceptance";
            /**
             * Format: date-time
             * @description When it was sent
             */
            requestedAt: string;
            /** @description Who sent it */
            requestedBy: string;
            /**
             * Format: uuid
             * @description ID of the Workflow Update carrying the decision; the audit entry records it once the workflow answers
             */
            updateId: string;
        };
        PersonDayEntryDto: {
            /**
             * @description Consultant on site
             * @example Li Wei
             */
            consultant: string;
            /**
             * @description Day of the visit
             * @example 2026-12-07
             */
            date: string;
            /**
             * @description Person-days used, in half-day steps
             * @example 1.5
             */
            days: number;
            /**
             * @description Consultant level
             * @enum {string}
             */
            level: "junior" | "intermediate" | "senior-and-above";
            /**
             * @description What was done
             * @example Month-end close support, GL reconciliation
             */
            work: string;
        };
        PlanApprovalDto: {
            /** @description Remark recorded with the decision */
            comment?: string;
            /** @description Confirms that the objects the plan does not create because of exclusions (foreign keys, indexes, views, triggers: the plan version's `confirmationRequired`, listed in the plan report's `dependents`) are lost. Required when the revision has `confirmationRequired`: without it the approval is refused (409) and the delivery keeps waiting; recorded in the audit trail with the decision */
            confirmDependents?: boolean;
            /** @description The plan revision that was reviewed; approving a superseded revision is refused (409) */
            revision: number;
        };
        PlanConfirmationDto: {
            /** @description How many dependent objects (foreign keys, indexes, views, triggers) are not created */
            dependents: number;
            /** @description Which (the first ten; the plan report lists every one under `dependents`) */
            summary: string;
        };
        PlanRejectionDto: {
            /** @description What must change; the next revision is drafted with it */
            comment: string;
            /** @description The plan revision that was reviewed */
            revision: number;
        };
        PlanVersionDto: {
            /** @description Remark given with the decision */
            comment?: string;
            /** @description Present when the plan does not create objects that depend on something excluded: approving it needs `confirmDependents: true` */
            confirmationRequired?: components["schemas"]["PlanConfirmationDto"];
            /** @description Who approved or rejected it */
            decidedBy?: string;
            /** @description The approval confirmed that those dependent objects are not created */
            dependentsConfirmed?: boolean;
            /**
             * Format: uuid
             * @description Plan report ID
             */
            reportId: string;
            /** @description Plan revision, from 1 */
            revision: number;
            /**
             * @description Status of this revision
             * @enum {string}
             */
            status: "proposed" | "approved" | "rejected" | "superseded";
            /** @description One-line summary */
            summary: string;
        };
        PrivateDeploymentParametersDto: {
            /** @description Assignee per task role */
            assignees?: components["schemas"]["TaskAssigneesDto"];
            /**
             * @description Last day of the O&M contract
             * @example 2027-12-31
             */
            operationsUntil: string;
            /** @description What the contract agrees, in a few words */
            scope?: string;
            /**
             * @description The contract's own SLA: days until a step's tasks are due, by step code (the catalog's defaults otherwise)
             * @example {
             *       "design": 5
             *     }
             */
            slaDays?: {
                [key: string]: number;
            };
        };
        RegisterEnvironmentDto: {
            /**
             * @description The customer's ID (letters, digits, '.', '_', '-')
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description Database name (for sqlite: a file in SDO_SQLITE_DIR, relative to it or absolute)
             * @example erp
             */
            database: string;
            /**
             * @description Database engine
             * @enum {string}
             */
            engine: "postgres" | "mysql" | "sqlite";
            /**
             * @description Host name or IP address of the database server (not for sqlite)
             * @example erp-db.customer.internal
             */
            host?: string;
            /**
             * @description Name people know the environment by, unique per customer
             * @example ERP production
             */
            name: string;
            /**
             * Format: password
             * @description Password; stored encrypted and never returned or logged
             */
            password?: string;
            /** @description TCP port; the engine default (5432 / 3306) when absent */
            port?: number;
            /**
             * @description Whether to connect with TLS
             * @default false
             */
            ssl: boolean;
            /** @description User SDO connects as */
            username?: string;
        };
        RegisterUpgradePackageDto: {
            /**
             * @description Unique package name
             * @example erp-2.1
             */
            name: string;
            /**
             * @description The ERP product the package upgrades
             * @example Galaxy ERP
             */
            product: string;
            /** @description Scripts in strictly increasing version order; checksums are computed by the server */
            scripts: components["schemas"]["UpgradeScriptDto"][];
            /** @description Checks run after the scripts, in rehearsal and at cutover */
            verifications: components["schemas"]["VerificationDto"][];
        };
        ReportRefDto: {
            /**
             * @description Report kind
             * @enum {string}
             */
            kind: "assessment" | "plan" | "rehearsal" | "cutover" | "acceptance";
            /**
             * Format: uuid
             * @description Report ID (GET /v1/deliveries/{id}/reports/{reportId})
             */
            reportId: string;
            /** @description One-line summary */
            summary: string;
        };
        ReportViewDto: {
            /** @description The report itself (only when one report is read) */
            body?: {
                [key: string]: unknown;
            };
            /**
             * Format: date-time
             * @description When it was written
             */
            createdAt: string;
            /**
             * Format: uuid
             * @description Delivery ID
             */
            deliveryId: string;
            /**
             * Format: uuid
             * @description Report ID
             */
            id: string;
            /**
             * @description Report kind
             * @enum {string}
             */
            kind: "assessment" | "plan" | "rehearsal" | "cutover" | "acceptance";
            /** @description Revision (plans are revised) */
            revision: number;
            /** @description One-line summary */
            summary: string;
        };
        ResidentServiceParametersDto: {
            /** @description Assignee per task role */
            assignees?: components["schemas"]["TaskAssigneesDto"];
            /**
             * @description Consultant level agreed
             * @enum {string}
             */
            level: "junior" | "intermediate" | "senior-and-above";
            /**
             * @description Contracted months (at least 1)
             * @example 6
             */
            months: number;
            /** @description What the contract agrees, in a few words */
            scope?: string;
            /**
             * @description The contract's own SLA: days until a step's tasks are due, by step code (the catalog's defaults otherwise)
             * @example {
             *       "design": 5
             *     }
             */
            slaDays?: {
                [key: string]: number;
            };
            /**
             * @description First day of residence
             * @example 2027-01-04
             */
            startsOn: string;
        };
        SecurityProtectionParametersDto: {
            /** @description Assignee per task role */
            assignees?: components["schemas"]["TaskAssigneesDto"];
            /**
             * @description Contracted protection items
             * @example [
             *       "vulnerability-scan",
             *       "penetration-test"
             *     ]
             */
            items: ("security-patching" | "antivirus" | "edr" | "vulnerability-scan" | "penetration-test" | "anti-ransomware-check" | "periodic-inspection" | "security-training" | "virtual-patching" | "zero-trust")[];
            /** @description What the contract agrees, in a few words */
            scope?: string;
            /**
             * @description The contract's own SLA: days until a step's tasks are due, by step code (the catalog's defaults otherwise)
             * @example {
             *       "design": 5
             *     }
             */
            slaDays?: {
                [key: string]: number;
            };
        };
        SessionDto: {
            /** @description Present when the identity is confined to one customer's data */
            customerId?: string;
            /** @description Who the token identifies (what the audit trail records) */
            name: string;
            /**
             * @description viewer reads; manager also steers deliveries; admin also registers environments and packages
             * @enum {string}
             */
            role: "viewer" | "manager" | "engineer" | "admin";
            /** @description Temporal namespace the deliveries run in */
            temporalNamespace: string;
            /** @description Temporal Web UI base URL, when configured (SDO_TEMPORAL_UI_URL) */
            temporalUiUrl?: string;
        };
        /**
         * @description Start a Application enhancement (应用提升服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "application-enhancement",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "assignees": {
         *           "consultant": "li.wei"
         *         },
         *         "scope": "As agreed in the contract"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartApplicationEnhancementDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Application enhancement parameters (CatalogFlowParametersDto) */
            parameters: components["schemas"]["CatalogFlowParametersDto"];
            /**
             * @description Catalog code: application-enhancement (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "application-enhancement";
        };
        /**
         * @description Start a Business application diagnosis (业务应用诊断服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "business-diagnosis",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "assignees": {
         *           "consultant": "li.wei"
         *         },
         *         "scope": "As agreed in the contract"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartBusinessDiagnosisDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Business application diagnosis parameters (CatalogFlowParametersDto) */
            parameters: components["schemas"]["CatalogFlowParametersDto"];
            /**
             * @description Catalog code: business-diagnosis (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "business-diagnosis";
        };
        /**
         * @description Start a Chart-of-accounts restructuring (科目体系重构服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "chart-of-accounts-restructuring",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "assignees": {
         *           "consultant": "li.wei"
         *         },
         *         "scope": "As agreed in the contract"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartChartOfAccountsRestructuringDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Chart-of-accounts restructuring parameters (CatalogFlowParametersDto) */
            parameters: components["schemas"]["CatalogFlowParametersDto"];
            /**
             * @description Catalog code: chart-of-accounts-restructuring (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "chart-of-accounts-restructuring";
        };
        /**
         * @description Start a Cloud audit (云审计服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "cloud-audit",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "assignees": {
         *           "consultant": "li.wei"
         *         },
         *         "scope": "As agreed in the contract"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartCloudAuditDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Cloud audit parameters (CatalogFlowParametersDto) */
            parameters: components["schemas"]["CatalogFlowParametersDto"];
            /**
             * @description Catalog code: cloud-audit (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "cloud-audit";
        };
        /**
         * @description Start a Custom-development maintenance (定制开发维护服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "custom-dev-maintenance",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "startsOn": "2027-01-01",
         *         "endsOn": "2027-12-31"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartCustomDevMaintenanceDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Custom-development maintenance parameters (SubscriptionParametersDto) */
            parameters: components["schemas"]["SubscriptionParametersDto"];
            /**
             * @description Catalog code: custom-dev-maintenance (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "custom-dev-maintenance";
        };
        /**
         * @description Start a Data adjustment and cleanup (数据调整与清理服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "data-adjustment-cleanup",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "assignees": {
         *           "consultant": "li.wei"
         *         },
         *         "scope": "As agreed in the contract"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartDataAdjustmentCleanupDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Data adjustment and cleanup parameters (CatalogFlowParametersDto) */
            parameters: components["schemas"]["CatalogFlowParametersDto"];
            /**
             * @description Catalog code: data-adjustment-cleanup (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "data-adjustment-cleanup";
        };
        /**
         * @description Start a Database conversion (数据库转换服务) delivery; environments: source, target
         * @example {
         *       "serviceType": "database-conversion",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {
         *         "source": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e50",
         *         "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e51"
         *       },
         *       "parameters": {
         *         "targetSchema": "erp",
         *         "naming": "snake",
         *         "exclude": [
         *           "audit_log"
         *         ]
         *       },
         *       "contractRef": "CT-2026-118",
         *       "cutoverWindow": {
         *         "startsAt": "2026-12-05T22:00:00+08:00",
         *         "durationMinutes": 240
         *       }
         *     }
         */
        StartDatabaseConversionDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Database conversion parameters (DatabaseConversionParametersDto) */
            parameters: components["schemas"]["DatabaseConversionParametersDto"];
            /**
             * @description Catalog code: database-conversion (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "database-conversion";
        };
        /**
         * @description Start a Data carryover (数据结转服务) delivery; environments: source, target
         * @example {
         *       "serviceType": "data-carryover",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {
         *         "source": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e50",
         *         "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e51"
         *       },
         *       "parameters": {
         *         "cutoffPeriod": "2024-01",
         *         "tables": [
         *           {
         *             "table": "sales_orders",
         *             "dateColumn": "order_date"
         *           }
         *         ]
         *       },
         *       "contractRef": "CT-2026-118",
         *       "cutoverWindow": {
         *         "startsAt": "2026-12-05T22:00:00+08:00",
         *         "durationMinutes": 240
         *       }
         *     }
         */
        StartDataCarryoverDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Data carryover parameters (CarryoverParametersDto) */
            parameters: components["schemas"]["CarryoverParametersDto"];
            /**
             * @description Catalog code: data-carryover (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "data-carryover";
        };
        /**
         * @description Start a Data migration (数据迁移服务) delivery; environments: source, target
         * @example {
         *       "serviceType": "data-migration",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {
         *         "source": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e50",
         *         "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e51"
         *       },
         *       "parameters": {
         *         "targetSchema": "public",
         *         "mappings": [
         *           {
         *             "name": "customers",
         *             "target": "customer_account",
         *             "source": {
         *               "table": "Customer"
         *             },
         *             "columns": [
         *               {
         *                 "target": "legacy_id",
         *                 "expr": "CustomerId"
         *               },
         *               {
         *                 "target": "display_name",
         *                 "expr": "concat(FirstName, ' ', LastName)"
         *               },
         *               {
         *                 "target": "country",
         *                 "expr": "Country",
         *                 "default": "unknown"
         *               }
         *             ]
         *           }
         *         ]
         *       },
         *       "contractRef": "CT-2026-118",
         *       "cutoverWindow": {
         *         "startsAt": "2026-12-05T22:00:00+08:00",
         *         "durationMinutes": 240
         *       }
         *     }
         */
        StartDataMigrationDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Data migration parameters (DataMigrationParametersDto) */
            parameters: components["schemas"]["DataMigrationParametersDto"];
            /**
             * @description Catalog code: data-migration (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "data-migration";
        };
        /** @description Start request of a delivery: its shape depends on serviceType (one schema per automated service) */
        StartDeliveryDto: components["schemas"]["StartUpgradeDeliveryDto"] | components["schemas"]["StartDataMigrationDeliveryDto"] | components["schemas"]["StartDatabaseConversionDeliveryDto"] | components["schemas"]["StartOrgSplitDeliveryDto"] | components["schemas"]["StartDataCarryoverDeliveryDto"] | components["schemas"]["StartCustomDevMaintenanceDeliveryDto"] | components["schemas"]["StartMaintenanceDevelopmentDeliveryDto"] | components["schemas"]["StartPrivateDeploymentOpsDeliveryDto"] | components["schemas"]["StartEnvironmentDeploymentDeliveryDto"] | components["schemas"]["StartSystemMigrationDeliveryDto"] | components["schemas"]["StartPerformanceOptimizationDeliveryDto"] | components["schemas"]["StartXinchuangDeliveryDto"] | components["schemas"]["StartSecurityProtectionDeliveryDto"] | components["schemas"]["StartCloudAuditDeliveryDto"] | components["schemas"]["StartDataAdjustmentCleanupDeliveryDto"] | components["schemas"]["StartChartOfAccountsRestructuringDeliveryDto"] | components["schemas"]["StartTrainingDeliveryDto"] | components["schemas"]["StartBusinessDiagnosisDeliveryDto"] | components["schemas"]["StartApplicationEnhancementDeliveryDto"] | components["schemas"]["StartOnsitePackageDeliveryDto"] | components["schemas"]["StartOnsiteServiceDeliveryDto"] | components["schemas"]["StartResidentServiceDeliveryDto"] | components["schemas"]["StartPaasLabDeliveryDto"] | components["schemas"]["StartLegacyVersionOpsDeliveryDto"];
        /**
         * @description Start a Environment deployment (环境部署服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "environment-deployment",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "assignees": {
         *           "consultant": "li.wei"
         *         },
         *         "scope": "As agreed in the contract"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartEnvironmentDeploymentDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Environment deployment parameters (CatalogFlowParametersDto) */
            parameters: components["schemas"]["CatalogFlowParametersDto"];
            /**
             * @description Catalog code: environment-deployment (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "environment-deployment";
        };
        /**
         * @description Start a Legacy-version basic O&M (历史版本基础运维服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "legacy-version-ops",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "startsOn": "2027-01-01",
         *         "endsOn": "2027-12-31"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartLegacyVersionOpsDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Legacy-version basic O&M parameters (SubscriptionParametersDto) */
            parameters: components["schemas"]["SubscriptionParametersDto"];
            /**
             * @description Catalog code: legacy-version-ops (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "legacy-version-ops";
        };
        /**
         * @description Start a Maintenance development (维护性开发服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "maintenance-development",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "assignees": {
         *           "consultant": "li.wei"
         *         },
         *         "scope": "As agreed in the contract"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartMaintenanceDevelopmentDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Maintenance development parameters (CatalogFlowParametersDto) */
            parameters: components["schemas"]["CatalogFlowParametersDto"];
            /**
             * @description Catalog code: maintenance-development (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "maintenance-development";
        };
        /**
         * @description Start a On-site service package (现场服务包) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "onsite-package",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "personDays": 12,
         *         "validUntil": "2027-06-30"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartOnsitePackageDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description On-site service package parameters (OnsitePackageParametersDto) */
            parameters: components["schemas"]["OnsitePackageParametersDto"];
            /**
             * @description Catalog code: onsite-package (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "onsite-package";
        };
        /**
         * @description Start a On-site service (现场服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "onsite-service",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "personDays": 3,
         *         "level": "senior-and-above"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartOnsiteServiceDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description On-site service parameters (OnsiteServiceParametersDto) */
            parameters: components["schemas"]["OnsiteServiceParametersDto"];
            /**
             * @description Catalog code: onsite-service (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "onsite-service";
        };
        /**
         * @description Start a Organisation split (组织拆分服务) delivery; environments: source, target
         * @example {
         *       "serviceType": "org-split",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {
         *         "source": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e50",
         *         "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e51"
         *       },
         *       "parameters": {
         *         "organisations": [
         *           "2"
         *         ],
         *         "organisationTable": "organisations"
         *       },
         *       "contractRef": "CT-2026-118",
         *       "cutoverWindow": {
         *         "startsAt": "2026-12-05T22:00:00+08:00",
         *         "durationMinutes": 240
         *       }
         *     }
         */
        StartOrgSplitDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Organisation split parameters (OrgSplitParametersDto) */
            parameters: components["schemas"]["OrgSplitParametersDto"];
            /**
             * @description Catalog code: org-split (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "org-split";
        };
        /**
         * @description Start a Cosmic PaaS lab (苍穹 PaaS 实验室) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "paas-lab",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "assignees": {
         *           "consultant": "li.wei"
         *         },
         *         "scope": "As agreed in the contract"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartPaasLabDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Cosmic PaaS lab parameters (CatalogFlowParametersDto) */
            parameters: components["schemas"]["CatalogFlowParametersDto"];
            /**
             * @description Catalog code: paas-lab (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "paas-lab";
        };
        /**
         * @description Start a Performance optimisation (性能优化服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "performance-optimization",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "assignees": {
         *           "consultant": "li.wei"
         *         },
         *         "scope": "As agreed in the contract"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartPerformanceOptimizationDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Performance optimisation parameters (CatalogFlowParametersDto) */
            parameters: components["schemas"]["CatalogFlowParametersDto"];
            /**
             * @description Catalog code: performance-optimization (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "performance-optimization";
        };
        /**
         * @description Start a Private deployment and O&M support (私有部署与运维支持服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "private-deployment-ops",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "operationsUntil": "2027-12-31"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartPrivateDeploymentOpsDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Private deployment and O&M support parameters (PrivateDeploymentParametersDto) */
            parameters: components["schemas"]["PrivateDeploymentParametersDto"];
            /**
             * @description Catalog code: private-deployment-ops (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "private-deployment-ops";
        };
        /**
         * @description Start a Resident service (驻场服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "resident-service",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "months": 6,
         *         "startsOn": "2027-01-04",
         *         "level": "intermediate"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartResidentServiceDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Resident service parameters (ResidentServiceParametersDto) */
            parameters: components["schemas"]["ResidentServiceParametersDto"];
            /**
             * @description Catalog code: resident-service (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "resident-service";
        };
        /**
         * @description Start a Security protection (安全防护服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "security-protection",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "items": [
         *           "vulnerability-scan",
         *           "penetration-test",
         *           "anti-ransomware-check"
         *         ]
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartSecurityProtectionDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Security protection parameters (SecurityProtectionParametersDto) */
            parameters: components["schemas"]["SecurityProtectionParametersDto"];
            /**
             * @description Catalog code: security-protection (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "security-protection";
        };
        /**
         * @description Start a System migration (系统迁移服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "system-migration",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "assignees": {
         *           "consultant": "li.wei"
         *         },
         *         "scope": "As agreed in the contract"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartSystemMigrationDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description System migration parameters (ChildServiceParametersDto) */
            parameters: components["schemas"]["ChildServiceParametersDto"];
            /**
             * @description Catalog code: system-migration (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "system-migration";
        };
        /**
         * @description Start a Training (培训服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "training",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "courses": [
         *           "General ledger for accountants"
         *         ],
         *         "sessions": 4
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartTrainingDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Training parameters (TrainingParametersDto) */
            parameters: components["schemas"]["TrainingParametersDto"];
            /**
             * @description Catalog code: training (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "training";
        };
        /**
         * @description Start a Upgrade (升级服务) delivery; environments: target
         * @example {
         *       "serviceType": "upgrade",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {
         *         "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e50"
         *       },
         *       "parameters": {
         *         "packageId": "3d0c6a52-5f1e-4b7c-9a43-6c8f2b1d7e55"
         *       },
         *       "contractRef": "CT-2026-118",
         *       "cutoverWindow": {
         *         "startsAt": "2026-12-05T22:00:00+08:00",
         *         "durationMinutes": 240
         *       }
         *     }
         */
        StartUpgradeDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Upgrade parameters (UpgradeParametersDto) */
            parameters: components["schemas"]["UpgradeParametersDto"];
            /**
             * @description Catalog code: upgrade (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "upgrade";
        };
        /**
         * @description Start a Domestic IT stack (信创) (信创服务) delivery: a catalog flow of human tasks (no environments, no cutover window)
         * @example {
         *       "serviceType": "xinchuang",
         *       "customerId": "CUST-0042",
         *       "orderNo": "SO-2026-0042",
         *       "environments": {},
         *       "parameters": {
         *         "assignees": {
         *           "consultant": "li.wei"
         *         },
         *         "scope": "As agreed in the contract"
         *       },
         *       "contractRef": "CT-2026-118"
         *     }
         */
        StartXinchuangDeliveryDto: {
            /** @description Whether this order lets other deliveries run heavy work on its environments at the same time (default: exclusive) */
            concurrentHeavyWork?: components["schemas"]["ConcurrentHeavyWorkDto"];
            /**
             * @description Reference of the signed service contract (服务签约); without it the delivery waits at the contract gate
             * @example CT-2026-118
             */
            contractRef?: string;
            /**
             * @description The customer's ID; the environments must belong to this customer
             * @example CUST-0042
             */
            customerId: string;
            /**
             * @description The customer's time zone (IANA): the console shows and picks the cutover window in it; the API itself only takes instants
             * @example Asia/Shanghai
             */
            customerTimeZone?: string;
            /** @description The maintenance window cutover waits for (automated services); managers can move it later */
            cutoverWindow?: components["schemas"]["CutoverWindowDto"];
            /**
             * @description Environment ID per role the service needs (see GET /v1/catalog/services), e.g. { "target": "<uuid>" }; catalog flows need none
             * @example {
             *       "target": "0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55"
             *     }
             */
            environments?: {
                [key: string]: string;
            };
            /** @description How waiting gates remind and escalate; defaults from SDO_GATE_REMINDER_EVERY / SDO_GATE_ESCALATE_AFTER */
            gatePolicy?: components["schemas"]["GatePolicyDto"];
            /**
             * @description Sales order number; one delivery per service and order (it is the workflow ID)
             * @example SO-2026-0042
             */
            orderNo: string;
            /** @description Domestic IT stack (信创) parameters (ChildServiceParametersDto) */
            parameters: components["schemas"]["ChildServiceParametersDto"];
            /**
             * @description Catalog code: xinchuang (enum property replaced by openapi-typescript)
             * @enum {string}
             */
            serviceType: "xinchuang";
        };
        StoredScriptDto: {
            /** @description sha256 (hex) of the script with line endings normalised; an applied script whose checksum changes fails validation */
            checksum: string;
            /** @description What the script does */
            description: string;
            /** @description The SQL (only when one package is read) */
            sql?: string;
            /** @description Script version */
            version: string;
        };
        SubscriptionParametersDto: {
            /** @description Assignee per task role */
            assignees?: components["schemas"]["TaskAssigneesDto"];
            /** @description The contract's case SLAs; without them a first response is due within 1 day (24 h) and a resolution within 5 days (120 h) */
            caseSla?: components["schemas"]["CaseSlaDto"];
            /**
             * @description Last day of the subscription
             * @example 2027-12-31
             */
            endsOn: string;
            /** @description What the contract agrees, in a few words */
            scope?: string;
            /**
             * @description The contract's own SLA: days until a step's tasks are due, by step code (the catalog's defaults otherwise)
             * @example {
             *       "design": 5
             *     }
             */
            slaDays?: {
                [key: string]: number;
            };
            /**
             * @description First day of the subscription
             * @example 2027-01-01
             */
            startsOn: string;
        };
        SubscriptionRenewalDto: {
            /**
             * @description The new end of the subscription: ISO-8601 with an offset, after the current end
             * @example 2027-12-31T23:59:59Z
             */
            endsAt: string;
        };
        TaskAssigneesDto: {
            /**
             * @description Who works tasks of this role (name or login)
             * @example li.wei
             */
            architect?: string;
            /**
             * @description Who works tasks of this role (name or login)
             * @example li.wei
             */
            consultant?: string;
            /**
             * @description Who works tasks of this role (name or login)
             * @example li.wei
             */
            "delivery-manager"?: string;
            /**
             * @description Who works tasks of this role (name or login)
             * @example li.wei
             */
            engineer?: string;
            /**
             * @description Who works tasks of this role (name or login)
             * @example li.wei
             */
            "security-engineer"?: string;
            /**
             * @description Who works tasks of this role (name or login)
             * @example li.wei
             */
            trainer?: string;
        };
        TaskCompletionDto: {
            /** @description Training sessions: who was expected and whether they attended */
            attendance?: components["schemas"]["AttendanceDto"][];
            /** @description Checklist items ticked (their text); every item must be ticked to complete */
            checked?: string[];
            /** @description Remark recorded with the completion (an SLA assessment needs one: its remarks) */
            comment?: string;
            /**
             * @description Gates that need it (contract, subscription, purchase): the reference
             * @example CT-2026-118
             */
            reference?: string;
            /** @description SLA assessments only: 0–100 */
            score?: number;
            /**
             * @description Gates: who signed for the customer (required for gates)
             * @example Wang Fang, CFO
             */
            signedBy?: string;
        };
        TaskPageDto: {
            /** @description This page */
            items: components["schemas"]["TaskViewDto"][];
            /** @description Page size */
            limit: number;
            /** @description Skipped */
            offset: number;
            /** @description How many match */
            total: number;
        };
        TaskReopeningDto: {
            /** @description Why the task must be worked again */
            reason: string;
        };
        TaskViewDto: {
            /** @description Person assigned */
            assignee: string;
            /** @description What must be ticked to complete it */
            checklist: components["schemas"]["ChecklistItemDto"][];
            /**
             * Format: date-time
             * @description When it was completed
             */
            completedAt: string | null;
            /** @description Who completed it */
            completedBy: string | null;
            /** @description The customer's ID */
            customerId: string;
            /**
             * Format: uuid
             * @description Delivery the task belongs to
             */
            deliveryId: string;
            /**
             * Format: date-time
             * @description When it is due (SLA)
             */
            dueAt: string | null;
            /** @description Whether it was escalated as overdue */
            escalated: boolean;
            /**
             * Format: uuid
             * @description Task ID
             */
            id: string;
            /** @description Contracted item the task is for (security items) */
            itemCode: string | null;
            /**
             * @description task, gate (signed for the customer) or automated (done by SDO)
             * @enum {string}
             */
            kind: "task" | "gate" | "automated";
            /** @description English name */
            nameEn: string;
            /** @description Name as the catalog gives it */
            nameZh: string;
            /** @description Obligation tasks: sla-assessment, patch, security-item, training-session, milestone … */
            obligationKind: string | null;
            /** @description Obligation tasks: the task in its obligation (e.g. sla-assessment-3, session-1) */
            obligationTaskId: string | null;
            /**
             * Format: date-time
             * @description When it was opened
             */
            openedAt: string | null;
            /** @description Open and past its due date */
            overdue: boolean;
            /** @description Gates: contract / order reference */
            reference: string | null;
            /** @description How often it was reopened */
            reopened: number;
            /**
             * @description Who works it
             * @enum {string}
             */
            role: "delivery-manager" | "consultant" | "engineer" | "security-engineer" | "trainer" | "architect";
            /**
             * @description Product (catalog code)
             * @enum {string}
             */
            serviceType: "upgrade" | "data-migration" | "database-conversion" | "org-split" | "data-carryover" | "custom-dev-maintenance" | "maintenance-development" | "private-deployment-ops" | "environment-deployment" | "system-migration" | "performance-optimization" | "xinchuang" | "security-protection" | "cloud-audit" | "data-adjustment-cleanup" | "chart-of-accounts-restructuring" | "training" | "business-diagnosis" | "application-enhancement" | "onsite-package" | "onsite-service" | "resident-service" | "paas-lab" | "legacy-version-ops";
            /** @description Gates: who signed for the customer */
            signedBy: string | null;
            /**
             * @description flow: a step's own task; obligation: a task of the step's obligation, completed through the same route
             * @enum {string}
             */
            source: "flow" | "obligation";
            /**
             * @description pending (its step is not reached), open or done
             * @enum {string}
             */
            status: "pending" | "open" | "done";
            /** @description Step code, e.g. contract */
            stepCode: string;
            /** @description Position of the step in the flow (0-based) */
            stepIndex: number;
        };
        TrainingParametersDto: {
            /** @description Assignee per task role */
            assignees?: components["schemas"]["TaskAssigneesDto"];
            /**
             * @description Courses agreed
             * @example [
             *       "General ledger for accountants"
             *     ]
             */
            courses: string[];
            /** @description What the contract agrees, in a few words */
            scope?: string;
            /**
             * @description Number of sessions
             * @example 4
             */
            sessions: number;
            /**
             * @description The contract's own SLA: days until a step's tasks are due, by step code (the catalog's defaults otherwise)
             * @example {
             *       "design": 5
             *     }
             */
            slaDays?: {
                [key: string]: number;
            };
        };
        UpgradePackagePageDto: {
            /** @description Packages of this page (scripts without their SQL) */
            items: components["schemas"]["UpgradePackageViewDto"][];
            /** @description Page size used */
            limit: number;
            /** @description Items skipped */
            offset: number;
            /** @description How many packages exist */
            total: number;
        };
        UpgradePackageViewDto: {
            /**
             * Format: date-time
             * @description When it was registered
             */
            createdAt: string;
            /**
             * Format: uuid
             * @description Package ID, used as `parameters.packageId` of an upgrade delivery
             */
            id: string;
            /** @description Unique package name */
            name: string;
            /** @description The ERP product it upgrades */
            product: string;
            /** @description Scripts with their checksums */
            scripts: components["schemas"]["StoredScriptDto"][];
            /** @description The version the package brings a target to */
            targetVersion: string;
            /** @description Verification checks */
            verifications: components["schemas"]["VerificationDto"][];
        };
        UpgradeParametersDto: {
            /**
             * Format: uuid
             * @description ID of a registered upgrade package (POST /v1/upgrade-packages) to bring the target to
             */
            packageId: string;
        };
        UpgradeScriptDto: {
            /**
             * @description What the script does
             * @example add invoice due dates
             */
            description: string;
            /** @description The SQL, without transaction control (each script runs in its own transaction) */
            sql: string;
            /**
             * @description Dotted numeric version the script brings the target to
             * @example 2.1.0
             */
            version: string;
        };
        VerificationDto: {
            /** @description What the query must return: 'rows' (at least one), 'no-rows' (none), or { equals } (first column of the first row, as text) */
            expect: ("rows" | "no-rows") | {
                equals: string;
            };
            /**
             * @description Name of the check, shown in reports
             * @example every invoice has a due date
             */
            name: string;
            /** @description A read-only query run on the target after the scripts */
            sql: string;
        };
        WebhookAttemptDto: {
            /**
             * Format: date-time
             * @description When it was made
             */
            at: string;
            /** @description Attempt number of this event, from 1 */
            attempt: number;
            /** @description How long the attempt took */
            durationMs: number;
            /** @description Why it was not reached */
            error: string | null;
            /** @description The event ID receivers deduplicate on (header sdo-event-id) */
            eventId: string;
            /**
             * @description The event type
             * @enum {string}
             */
            eventType: "gate.waiting" | "gate.reminder" | "gate.escalation" | "phase.changed" | "delivery.failed" | "delivery.completed" | "delivery.cancelled";
            /**
             * Format: uuid
             * @description The outbox row (one per event and subscription)
             */
            notificationId: string;
            /** @description The receiver's HTTP status; null when it was not reached */
            statusCode: number | null;
        };
        WebhookAttemptPageDto: {
            /** @description The attempts of this page, newest first */
            items: components["schemas"]["WebhookAttemptDto"][];
            /** @description Page size used */
            limit: number;
            /** @description Items skipped */
            offset: number;
            /** @description How many attempts there are in all */
            total: number;
        };
        WebhookListDto: {
            /** @description The subscriptions, newest first */
            items: components["schemas"]["WebhookViewDto"][];
        };
        WebhookViewDto: {
            /**
             * Format: date-time
             * @description When it was subscribed
             */
            createdAt: string;
            /** @description Who subscribed */
            createdBy: string;
            /** @description The customer whose deliveries' events are sent */
            customerId: string;
            /** @description Which events are sent */
            eventTypes: ("gate.waiting" | "gate.reminder" | "gate.escalation" | "phase.changed" | "delivery.failed" | "delivery.completed" | "delivery.cancelled")[];
            /**
             * Format: uuid
             * @description Subscription ID
             */
            id: string;
            /** @description Where events are POSTed */
            url: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    CodecController_decode: {
        parameters: {
            query?: never;
            header: {
                "x-namespace": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CodecPayloadsDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CodecPayloadsDto"];
                };
            };
            /** @description A payload is sealed with a key SDO does not have, or does not open with it; `details` names it */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    CodecController_encode: {
        parameters: {
            query?: never;
            header: {
                "x-namespace": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CodecPayloadsDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CodecPayloadsDto"];
                };
            };
        };
    };
    HealthController_check: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Health Check is successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                        /** @example {} */
                        error?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /** @example ok */
                        status?: string;
                    };
                };
            };
            /**
             * @description PostgreSQL or Temporal is down; `details` says which
             *
             *     The Health Check is not successful
             */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       },
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        };
                        /**
                         * @example {
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect"
                         *       }
                         *     }
                         */
                        error?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                status: string;
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /** @example error */
                        status?: string;
                    };
                };
            };
        };
    };
    CatalogController_list_v1: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogServiceDto"][];
                };
            };
        };
    };
    CatalogController_get_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: "upgrade" | "data-migration" | "database-conversion" | "org-split" | "data-carryover" | "custom-dev-maintenance" | "maintenance-development" | "private-deployment-ops" | "environment-deployment" | "system-migration" | "performance-optimization" | "xinchuang" | "security-protection" | "cloud-audit" | "data-adjustment-cleanup" | "chart-of-accounts-restructuring" | "training" | "business-diagnosis" | "application-enhancement" | "onsite-package" | "onsite-service" | "resident-service" | "paas-lab" | "legacy-version-ops";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CatalogServiceDto"];
                };
            };
        };
    };
    DeliveriesController_list_v1: {
        parameters: {
            query?: {
                /** @description Only deliveries waiting at this gate */
                awaiting?: "assessmentBlocked" | "contractSignature" | "planApproval" | "cutoverWindow" | "acceptance";
                /** @description Only this customer */
                customerId?: string;
                /** @description How many items to return (1–100) */
                limit?: number;
                /** @description How many items to skip (0–1000000) */
                offset?: number;
                /** @description Only deliveries in this phase */
                phase?: "assessment" | "contract" | "plan" | "test" | "cutover" | "acceptance" | "delivering" | "completed" | "cancelled" | "failed";
                /** @description Only this service */
                serviceType?: "upgrade" | "data-migration" | "database-conversion" | "org-split" | "data-carryover" | "custom-dev-maintenance" | "maintenance-development" | "private-deployment-ops" | "environment-deployment" | "system-migration" | "performance-optimization" | "xinchuang" | "security-protection" | "cloud-audit" | "data-adjustment-cleanup" | "chart-of-accounts-restructuring" | "training" | "business-diagnosis" | "application-enhancement" | "onsite-package" | "onsite-service" | "resident-service" | "paas-lab" | "legacy-version-ops";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryPageDto"];
                };
            };
        };
    };
    DeliveriesController_start_v1: {
        parameters: {
            query?: never;
            header: {
                /** @description Unique per start request; repeating the same request with the same key returns the same delivery */
                "Idempotency-Key": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartDeliveryDto"];
            };
        };
        responses: {
            /** @description The same request was made before with this key: the existing delivery */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryViewDto"];
                };
            };
            /** @description Delivery started; Location names it */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryViewDto"];
                };
            };
            /** @description The key was used for a different request, or the order already has a delivery */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeliveriesController_get_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryDetailDto"];
                };
            };
        };
    };
    DeliveriesController_confirmAcceptance_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AcceptanceConfirmationDto"];
            };
        };
        responses: {
            /** @description The status after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryStatusDto"];
                };
            };
            /** @description No worker took the decision in time: it is recorded as pending (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The delivery refused the action: wrong phase, stale plan revision, or it is no longer running. The message says why. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeliveriesController_rejectAcceptance_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AcceptanceRejectionDto"];
            };
        };
        responses: {
            /** @description The status after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryStatusDto"];
                };
            };
            /** @description No worker took the decision in time: it is recorded as pending (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The delivery refused the action: wrong phase, stale plan revision, or it is no longer running. The message says why. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeliveriesController_audit_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEntryDto"][];
                };
            };
        };
    };
    DeliveriesController_cancel_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CancellationDto"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancellationAcceptedDto"];
                };
            };
            /** @description The delivery is no longer running */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ObligationsController_subscription_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No such delivery, or it has no support subscription */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ObligationsController_openCase_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CaseOpeningDto"];
            };
        };
        responses: {
            /** @description The case, numbered within the subscription */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No worker took it in time: it is recorded as a pending decision (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The subscription has ended */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ObligationsController_supportCase_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNo: number;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ObligationsController_confirm_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNo: number;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CaseAnswerDto"];
            };
        };
        responses: {
            /** @description The case after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No worker took it in time: it is recorded as a pending decision (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The case or task is not in the state this action needs (e.g. resolving a case nobody responded to), or it has closed; the message says why. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ObligationsController_resolve_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNo: number;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CaseAnswerDto"];
            };
        };
        responses: {
            /** @description The case after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No worker took it in time: it is recorded as a pending decision (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The case or task is not in the state this action needs (e.g. resolving a case nobody responded to), or it has closed; the message says why. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ObligationsController_respond_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNo: number;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CaseAnswerDto"];
            };
        };
        responses: {
            /** @description The case after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No worker took it in time: it is recorded as a pending decision (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The case or task is not in the state this action needs (e.g. resolving a case nobody responded to), or it has closed; the message says why. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ObligationsController_childServices_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeliveriesController_signContract_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContractSignatureDto"];
            };
        };
        responses: {
            /** @description The status after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryStatusDto"];
                };
            };
            /** @description No worker took the decision in time: it is recorded as pending (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The delivery refused the action: wrong phase, stale plan revision, or it is no longer running. The message says why. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeliveriesController_moveCutoverWindow_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CutoverWindowChangeDto"];
            };
        };
        responses: {
            /** @description The status after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryStatusDto"];
                };
            };
            /** @description No worker took the decision in time: it is recorded as pending (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The delivery refused the action: wrong phase, stale plan revision, or it is no longer running. The message says why. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeliveryEventsController_follow_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/event-stream; a comment line every 15 s keeps idle connections open */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ObligationsController_tasks_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    ObligationsController_complete_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                taskId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ObligationTaskCompletionDto"];
            };
        };
        responses: {
            /** @description The task after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No worker took it in time: it is recorded as a pending decision (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The task is not open (done, or closed by its time box) or the completion lacks what its kind needs */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeliveriesController_amendParameters_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ParameterAmendmentDto"];
            };
        };
        responses: {
            /** @description The status after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryStatusDto"];
                };
            };
            /** @description No worker took the decision in time: it is recorded as pending (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The delivery is not waiting at a blocked assessment or for plan approval */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    PersonDaysController_ledger_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ledger */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
        };
    };
    PersonDaysController_record_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PersonDayEntryDto"];
            };
        };
        responses: {
            /** @description The delivery status after the change (flow.ledger) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryStatusDto"];
                };
            };
            /** @description No worker took it in time: it is recorded as pending and takes effect, or is refused, when a worker runs. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description It would overdraw the package (details.type PersonDaysOverdrawn), the package is closed, or the date is outside its validity */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeliveriesController_approvePlan_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PlanApprovalDto"];
            };
        };
        responses: {
            /** @description The status after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryStatusDto"];
                };
            };
            /** @description No worker took the decision in time: it is recorded as pending (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The delivery refused the action: wrong phase, stale plan revision, or it is no longer running. The message says why. Also when the plan loses dependent objects and `confirmDependents` is not true. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeliveriesController_rejectPlan_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PlanRejectionDto"];
            };
        };
        responses: {
            /** @description The status after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryStatusDto"];
                };
            };
            /** @description No worker took the decision in time: it is recorded as pending (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The delivery refused the action: wrong phase, stale plan revision, or it is no longer running. The message says why. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    DeliveriesController_reports_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportViewDto"][];
                };
            };
        };
    };
    DeliveriesController_report_v1: {
        parameters: {
            query?: {
                /** @description json (default) or markdown, a rendering to hand to the customer */
                format?: "json" | "markdown";
            };
            header?: never;
            path: {
                id: string;
                reportId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportViewDto"];
                    "text/markdown": components["schemas"]["ReportViewDto"];
                };
            };
        };
    };
    ObligationsController_renew_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubscriptionRenewalDto"];
            };
        };
        responses: {
            /** @description No worker took it in time: it is recorded as a pending decision (GET /v1/deliveries/{id} shows it under pendingDecisions) and takes effect, or is refused, when a worker runs; its audit entry is written then. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The subscription has ended, or the date is not after its current end */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    EnvironmentsController_list_v1: {
        parameters: {
            query?: {
                /** @description Only environments of this customer */
                customerId?: string;
                /** @description How many items to return (1–100) */
                limit?: number;
                /** @description How many items to skip (0–1000000) */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnvironmentPageDto"];
                };
            };
        };
    };
    EnvironmentsController_register_v1: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterEnvironmentDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnvironmentViewDto"];
                };
            };
            /** @description The customer already has an environment with that name */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    EnvironmentsController_get_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnvironmentViewDto"];
                };
            };
        };
    };
    EnvironmentsController_check_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EnvironmentCheckDto"];
                };
            };
        };
    };
    GateContactsController_list_v1: {
        parameters: {
            query?: {
                /** @description Only this customer */
                customerId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GateContactListDto"];
                };
            };
        };
    };
    GateContactsController_add_v1: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGateContactDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GateContactDto"];
                };
            };
        };
    };
    GateContactsController_remove_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    GateContactsController_mails_v1: {
        parameters: {
            query?: {
                /** @description How many items to return (1–100) */
                limit?: number;
                /** @description How many items to skip (0–1000000) */
                offset?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MailAttemptPageDto"];
                };
            };
        };
    };
    SessionController_whoAmI_v1: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"];
                };
            };
        };
    };
    TasksController_list_v1: {
        parameters: {
            query?: {
                /** @description Only tasks assigned to this person */
                assignee?: string;
                /** @description Only this customer's tasks */
                customerId?: string;
                /** @description Only tasks of this delivery */
                deliveryId?: string;
                /** @description How many items to return (1–100) */
                limit?: number;
                /** @description How many items to skip (0–1000000) */
                offset?: number;
                /** @description true: only open tasks past their due date; false: the others */
                overdue?: boolean;
                /** @description Only tasks of this role */
                role?: "delivery-manager" | "consultant" | "engineer" | "security-engineer" | "trainer" | "architect";
                /** @description Only tasks of this product (catalog code) */
                serviceType?: "upgrade" | "data-migration" | "database-conversion" | "org-split" | "data-carryover" | "custom-dev-maintenance" | "maintenance-development" | "private-deployment-ops" | "environment-deployment" | "system-migration" | "performance-optimization" | "xinchuang" | "security-protection" | "cloud-audit" | "data-adjustment-cleanup" | "chart-of-accounts-restructuring" | "training" | "business-diagnosis" | "application-enhancement" | "onsite-package" | "onsite-service" | "resident-service" | "paas-lab" | "legacy-version-ops";
                /** @description flow: only the steps' own tasks; obligation: only tasks of the steps' obligations (SLA assessments, O&M, security items, sessions, milestones) */
                source?: "flow" | "obligation";
                /** @description Only tasks in this state */
                status?: "pending" | "open" | "done";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskPageDto"];
                };
            };
        };
    };
    TasksController_get_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskViewDto"];
                };
            };
        };
    };
    TasksController_complete_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TaskCompletionDto"];
            };
        };
        responses: {
            /** @description The delivery status after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryStatusDto"];
                };
            };
            /** @description No worker took it in time: it is recorded as pending and takes effect, or is refused, when a worker runs. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The delivery refused it: the task is not open (or not done, to reopen), its checklist is not ticked, or the delivery is no longer running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TasksController_evidence_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvidenceViewDto"][];
                };
            };
        };
    };
    TasksController_addNote_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NoteEvidenceDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvidenceViewDto"];
                };
            };
        };
    };
    TasksController_evidenceFile_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                evidenceId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TasksController_addFile_v1: {
        parameters: {
            query: {
                /** @description File name as the customer named it */
                name: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/pdf": string;
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": string;
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": string;
                "application/zip": string;
                "image/jpeg": string;
                "image/png": string;
                "text/csv": string;
                "text/plain": string;
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvidenceViewDto"];
                };
            };
            /** @description Larger than 5242880 bytes */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Not one of application/pdf, image/png, image/jpeg, text/plain, text/csv, application/zip, application/vnd.openxmlformats-officedocument.wordprocessingml.document, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    TasksController_reopen_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TaskReopeningDto"];
            };
        };
        responses: {
            /** @description The delivery status after the change */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryStatusDto"];
                };
            };
            /** @description No worker took it in time: it is recorded as pending and takes effect, or is refused, when a worker runs. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DecisionPendingDto"];
                };
            };
            /** @description The delivery refused it: the task is not open (or not done, to reopen), its checklist is not ticked, or the delivery is no longer running. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    UpgradePackagesController_list_v1: {
        parameters: {
            query?: {
                /** @description How many items to return (1–100) */
                limit?: number;
                /** @description How many items to skip (0–1000000) */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpgradePackagePageDto"];
                };
            };
        };
    };
    UpgradePackagesController_register_v1: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterUpgradePackageDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpgradePackageViewDto"];
                };
            };
            /** @description The package is invalid; the message names each script and what is wrong with it */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description A package with that name exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    UpgradePackagesController_get_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UpgradePackageViewDto"];
                };
            };
        };
    };
    WebhooksController_list_v1: {
        parameters: {
            query?: {
                /** @description Only this customer */
                customerId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookListDto"];
                };
            };
        };
    };
    WebhooksController_subscribe_v1: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedWebhookDto"];
                };
            };
        };
    };
    WebhooksController_get_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookViewDto"];
                };
            };
        };
    };
    WebhooksController_remove_v1: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    WebhooksController_attempts_v1: {
        parameters: {
            query?: {
                /** @description How many items to return (1–100) */
                limit?: number;
                /** @description How many items to skip (0–1000000) */
                offset?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAttemptPageDto"];
                };
            };
        };
    };
}
