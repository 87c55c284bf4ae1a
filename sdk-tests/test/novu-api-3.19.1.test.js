import { Novu } from '@novu/api';
import * as errors from '@novu/api/models/errors/index.js';
import { novuApiScenarios } from './novu-api.scenarios.js';

// 3.19.1 parses today's single answers (no credentials key for an API key).
novuApiScenarios('@novu/api 3.19.1', { Novu, errors, parsesSingleAnswers: true });
