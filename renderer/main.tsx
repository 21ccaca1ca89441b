import '@xyflow/react/dist/style.css';
import './styles.css';
import './presentation.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { installPresentationEscape, installTheme } from './app/theme';

installTheme();
installPresentationEscape();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
