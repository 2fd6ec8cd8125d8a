import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

export const gcpPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [];
