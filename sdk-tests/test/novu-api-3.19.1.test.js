import { Novu } from '@novu/api';
import * as errors from '@novu/api/models/errors/index.js';
import { novuApiScenarios } from './novu-api.scenarios.js';

novuApiScenarios('@novu/api 3.19.1', { Novu, errors });
