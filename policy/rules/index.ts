import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { auditPolicies } from "./audit";
import { awsPolicies } from "./aws";
import { cloudLimitPolicies } from "./cloud-limits";
import { cloudRunInvokerPolicies } from "./cloudrun-invokers";
import { commonPolicies } from "./common";
import { datapathPolicies } from "./datapath";
import { gcpPolicies } from "./gcp";
import { graphPolicies } from "./graph";
import { k8sPolicies } from "./k8s";
import { leastPrivilegePolicies } from "./least-privilege";
import { observabilityPolicies } from "./observability";
import { residencyPolicies } from "./residency";
import { startupPolicies } from "./startup";
import { releasePolicies } from "./release";

/**
 * Every rule of the pack. `policy/index.ts` hands them to CrossGuard; the offline plan and the tests
 * run the same objects through `plan/policy-runner.ts`.
 */
export const allPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    ...commonPolicies,
    ...awsPolicies,
    ...k8sPolicies,
    ...gcpPolicies,
    ...cloudLimitPolicies,
    ...startupPolicies,
    ...graphPolicies,
    ...auditPolicies,
    ...leastPrivilegePolicies,
    ...cloudRunInvokerPolicies,
    ...observabilityPolicies,
    ...residencyPolicies,
    ...releasePolicies,
    ...datapathPolicies,
];
