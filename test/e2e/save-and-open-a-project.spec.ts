import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, loadTemplate, test, trainBriefly } from './fixtures.js';

test('name a project, train it, save it, and open it again with its run ready to continue', async ({ app, server }) => {
  test.setTimeout(200_000);
  await loadTemplate(app, 'MLP on MNIST');
  await expect(app).toHaveTitle('MLP on MNIST — NetCanvas');

  // The name is edited in place; the title and the mark beside the name show unsaved changes.
  await app.getByTestId('project-name').click();
  await app.getByLabel('Project name').fill('Digits MLP');
  await app.getByLabel('Project name').press('Enter');
  await expect(app.getByTestId('project-name')).toHaveText('Digits MLP');
  await expect(app.getByTestId('unsaved')).toBeVisible();
  await expect(app).toHaveTitle('● Digits MLP — NetCanvas');

  // Loading a template now asks first; Cancel keeps the work.
  await app.getByTestId('template-select').selectOption({ label: 'MLP on Iris' });
  const ask = app.getByTestId('confirm-dialog');
  await expect(ask).toContainText('“Digits MLP” has changes that are not saved');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(app.getByTestId('project-name')).toHaveText('Digits MLP');

  // Trained before it has a file: runs of the template made by earlier tests may be listed too.
  const before = await app.getByTestId('run-row').count();
  await trainBriefly(app, { epochs: 1, batchesPerEpoch: 3 });
  await expect(app.getByTestId('run-row')).toHaveCount(before + 1);

  // Save: a file name in the projects folder, from the project's name; the run goes with it.
  await app.keyboard.press('Control+S');
  const saveAs = app.getByTestId('save-as-dialog');
  await expect(saveAs.getByLabel('File name')).toHaveValue('digits-mlp');
  await saveAs.getByRole('button', { name: 'Save' }).click();
  const file = path.join(server.projectsDir, 'digits-mlp.netcanvas.json');
  await expect(app.getByTestId('notice')).toContainText(`Saved “Digits MLP” to ${file}`);
  await expect(app.getByTestId('unsaved')).toHaveCount(0);
  await expect(app).toHaveTitle('Digits MLP — NetCanvas');
  expect(JSON.parse(readFileSync(file, 'utf8')).name).toBe('Digits MLP');


  // A new project has none of it.
  await app.keyboard.press('Control+Alt+N');
  await expect(app.getByTestId('project-name')).toHaveText('Untitled network');
  await expect(app.locator('.react-flow__node')).toHaveCount(0);
  await expect(app.getByTestId('run-row')).toHaveCount(0);

  // Open lists the projects folder; the project comes back with its own run, its curve and Continue.
  await app.keyboard.press('Control+O');
  const open = app.getByTestId('open-dialog');
  await expect(open).toContainText(server.projectsDir);
  await open.getByTestId('project-row').filter({ hasText: 'digits-mlp.netcanvas.json' }).click();
  await expect(app.getByTestId('project-name')).toHaveText('Digits MLP');
  await expect(app.getByTestId('run-row')).toHaveCount(1);
  await expect(app.getByTestId('run-row')).toContainText('completed');
  await expect(app.getByTestId('metrics-chart')).toBeVisible();
  await expect(app.getByRole('button', { name: 'Continue', exact: true })).toBeEnabled();
});

test('a damaged project file opens with a clear message, is never written over, and the message goes once something works', async ({ app, server }) => {
  const broken = path.join(server.projectsDir, 'broken.netcanvas.json');
  const bytes = '{"schemaVersion": 1, "name": "Half", "graph": {"nodes": [';
  writeFileSync(broken, bytes);
  const newer = path.join(server.projectsDir, 'future.netcanvas.json');
  writeFileSync(newer, JSON.stringify({ schemaVersion: 99, name: 'From the future', graph: { nodes: [], edges: [] } }));

  await loadTemplate(app, 'MLP on MNIST');
  await app.keyboard.press('Control+O');
  const open = app.getByTestId('open-dialog');
  await expect(open).toContainText('broken.netcanvas.json');
  await expect(open).toContainText('not valid JSON');
  await expect(open).toContainText('newer NetCanvas');
  await open.getByTestId('project-row').filter({ hasText: 'broken.netcanvas.json' }).click();
  await expect(app.getByTestId('notice')).toContainText('broken.netcanvas.json: The file is not valid JSON');
  await expect(app.getByTestId('project-name')).toHaveText('MLP on MNIST');
  expect(readFileSync(broken, 'utf8')).toBe(bytes);

  // Loading a template works: the red banner of the failed open goes.
  await app.keyboard.press('Escape');
  await loadTemplate(app, 'MLP on Iris');
  await expect(app.getByTestId('notice')).toHaveCount(0);
  expect(readFileSync(broken, 'utf8')).toBe(bytes);
});
