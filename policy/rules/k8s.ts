import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

export const k8sPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [];
