import { Novu } from 'novu-api-3-11';
import * as errors from 'novu-api-3-11/models/errors/index.js';
import { novuApiScenarios } from './novu-api.scenarios.js';

novuApiScenarios('@novu/api 3.11.0', { Novu, errors });
