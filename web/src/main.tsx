import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ControllerContext } from './app-context';
import { InboxController } from './state/inbox.controller';
import './styles.css';

const controller = new InboxController();
controller.start();

createRoot(document.getElementById('root')!).render(
  <ControllerContext.Provider value={controller}>
    <App />
  </ControllerContext.Provider>,
);
