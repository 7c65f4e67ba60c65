import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './system_expectations';

const text = readFileSync(join(REPO, 'cloudbuild.yaml'), 'utf8');

test('cloudbuild.yaml runs every check, builds, and on main applies exactly the plan it keeps', () => {
  expect([...text.matchAll(/^ {2}- id: (\S+)$/gm)].map((m) => m[1])).toEqual([
    'install',
    'lint',
    'typecheck',
    'schemas-fresh',
    'test',
    'build',
    'dataform-compile',
    'terraform-fmt',
    'terraform-validate',
    'terraform-plan',
    'terraform-apply',
    'dataform-publish',
  ]);
  expect(text).toContain("args: ['fmt', '-check', '-recursive', '-diff', 'terraform']");
  expect(text).toContain('terraform plan -input=false -var-file=envs/${_ENV}/terraform.tfvars -out=tfplan');
  expect(text).toContain('terraform -chdir=terraform apply -input=false tfplan');
  expect(text).toMatch(/artifacts:\n {2}objects:\n {4}location: .*\n {4}paths: \['plan-artifacts\/\*'\]/);
  // Plan, apply and publish only on main.
  expect(text.match(/if \[ "\$BRANCH_NAME" != "main" \]/g)).toHaveLength(3);
});

test('cloudbuild.yaml validates the one root and plans an environment from its own backend config and tfvars', () => {
  expect(text).toContain('terraform -chdir=terraform init -backend=false -input=false\n        terraform -chdir=terraform validate');
  expect(text).toContain('-backend-config=envs/${_ENV}/backend.gcs.tfbackend');
  expect(text).toContain(`printf '%s' "$$TFVARS" > envs/\${_ENV}/terraform.tfvars`);
  expect(text).not.toMatch(/terraform\/envs\/[^\s]*(init|plan|apply)/);
});
