import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatProblems } from './hcl_format';
import { TERRAFORM_DIR } from './hcl';

function hclFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.')) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return hclFiles(path);
    return /\.tf$|\.tfvars(\.example)?$/.test(e.name) ? [path] : [];
  });
}

test('every .tf and .tfvars.example file is laid out as terraform fmt would', () => {
  const files = hclFiles(TERRAFORM_DIR);
  expect(files.length).toBeGreaterThan(20);
  expect(files.flatMap((f) => formatProblems(relative(TERRAFORM_DIR, f), readFileSync(f, 'utf8')))).toEqual([]);
});

describe('the layout check', () => {
  test('accepts fmt output: aligned groups, multi-line values, heredocs, nested strings', () => {
    const good = [
      'resource "a" "b" {',
      '  name        = "x"',
      '  description = "${module.s.ids["k"]}-{y}"',
      '  labels = {',
      '    a = 1',
      '  }',
      '  filter = <<-EOT',
      '    x="y"',
      '  EOT',
      '',
      '  dynamic "d" {',
      '    for_each = { for k, v in var.m : k => v if v != "" }',
      '    content {',
      '      a   = d.value',
      '      bcd = 2',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(formatProblems('good.tf', good)).toEqual([]);
  });

  test('names misaligned =, wrong indentation, tabs, trailing spaces and a missing final newline', () => {
    const bad = ['resource "a" "b" {', '  name = "x"', '  description = "y"', '   x = 1 ', '\ty = 2', '}'].join('\n');
    expect(formatProblems('bad.tf', bad)).toEqual([
      'bad.tf: must end with exactly one newline',
      'bad.tf:4: trailing whitespace',
      'bad.tf:4: indented 3, expected 2',
      'bad.tf:5: tab',
      'bad.tf:5: indented 1, expected 2',
      'bad.tf:2: \'=\' at column 8, expected 15 (aligned with its neighbours)',
      'bad.tf:4: \'=\' at column 6, expected 15 (aligned with its neighbours)',
      'bad.tf:5: \'=\' at column 4, expected 15 (aligned with its neighbours)',
    ]);
  });
});
