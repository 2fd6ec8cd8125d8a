import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { awsPolicies } from "./aws";
import { cloudLimitPolicies } from "./cloud-limits";
import { commonPolicies } from "./common";
import { datapathPolicies } from "./datapath";
import { gcpPolicies } from "./gcp";
import { graphPolicies } from "./graph";
import { k8sPolicies } from "./k8s";
import { startupPolicies } from "./startup";

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
    ...datapathPolicies,
];
