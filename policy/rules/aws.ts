import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

export const awsPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [];
