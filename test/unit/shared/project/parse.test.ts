import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProjectText } from '../../../../shared/project/parse.js';

const template = readFileSync('templates/mlp-mnist.netcanvas.json', 'utf8');

describe('parseProjectText', () => {
  it('reads the MNIST template', () => {
    const result = parseProjectText(template);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.project.graph.nodes).toHaveLength(5);
  });

  it('says where a file stops being JSON', () => {
    const result = parseProjectText('{\n  "schemaVersion": 1,\n  oops\n}', 'broken.netcanvas.json');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('NOT_JSON');
      expect(result.error.message).toMatch(/^broken\.netcanvas\.json: The file is not valid JSON: .* at line 3, column \d+\.$/);
    }
  });

  it('names the field that is wrong', () => {
    const broken = JSON.parse(template);
    broken.graph.nodes[2].id = 7;
    const result = parseProjectText(JSON.stringify(broken));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('graph.nodes[2].id');
  });

  it('refuses a file from a newer version instead of guessing', () => {
    const result = parseProjectText(JSON.stringify({ ...JSON.parse(template), schemaVersion: 99 }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('NEWER_VERSION');
      expect(result.error.message).toContain('newer NetCanvas');
    }
  });

  it('rejects something that is not a project', () => {
    const result = parseProjectText('[1, 2, 3]');
    expect(result.ok).toBe(false);
  });
});
